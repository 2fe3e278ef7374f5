"""Every role's group exists with exactly the permissions ``accounts.roles`` lists."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts import roles
from accounts.apps import apply_roles
from outbox.models import MailStatus, OutgoingMail


def granted(group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def assert_every_role_in_place():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    for name, wanted in roles.PERMISSIONS.items():
        assert granted(Group.objects.get(name=name)) == wanted, name


def last_app_config():
    return [config for config in apps.get_app_configs() if config.models_module][-1]


@pytest.mark.django_db
def test_every_listed_permission_exists():
    # A misspelt codename would otherwise just be missing from its group.
    listed = set().union(*roles.PERMISSIONS.values())
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }

    assert listed - existing == set()


@pytest.mark.django_db
def test_after_migrate_every_group_holds_exactly_its_permissions():
    assert_every_role_in_place()


@pytest.mark.django_db
def test_the_hook_puts_back_what_was_changed_and_changes_nothing_on_a_second_run():
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.add(Permission.objects.get(codename="delete_article"))
    Group.objects.get(name=roles.SALES).delete()

    apply_roles(sender=last_app_config())
    apply_roles(sender=last_app_config())

    assert_every_role_in_place()
    assert Group.objects.filter(name__in=roles.ROLES).count() == len(roles.ROLES)


@pytest.mark.django_db
def test_the_hook_waits_for_the_last_app_whose_permissions_are_made_last():
    Group.objects.filter(name__in=roles.ROLES).delete()

    apply_roles(sender=apps.get_app_config("auth"))

    assert not Group.objects.filter(name__in=roles.ROLES).exists()


@pytest.mark.django_db(transaction=True)
def test_a_flush_then_migrate_brings_every_role_back():
    call_command("flush", interactive=False, verbosity=0)
    assert_every_role_in_place()

    Group.objects.all().delete()
    call_command("migrate", interactive=False, verbosity=0)

    assert_every_role_in_place()


@pytest.mark.django_db
def test_agents_and_reviewers_are_told_apart(make_user):
    agent = make_user("agent", groups=[roles.AGENTS])
    reviewer = make_user("reviewer", groups=[roles.REVIEWERS], is_staff=True)
    reviewer_without_staff = make_user("former", groups=[roles.REVIEWERS])

    assert roles.is_agent(agent) and not roles.is_reviewer(agent)
    assert roles.is_reviewer(reviewer) and not roles.is_agent(reviewer)
    assert not roles.is_reviewer(reviewer_without_staff)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "status"), [(roles.SALES, 200), (roles.REVIEWERS, 403), (roles.EDITORS, 403)]
)
def test_sales_sees_the_failed_mails_in_admin_and_no_other_role_does(
    client, make_user, group, status
):
    failed = OutgoingMail.objects.create(
        what="an order", subject="订单确认", body="正文", to=["c@example.com"]
    )
    OutgoingMail.objects.filter(pk=failed.pk).update(status=MailStatus.FAILED)
    client.force_login(make_user("staff", groups=[group], is_staff=True))

    response = client.get("/admin/outbox/outgoingmail/?status__exact=failed")

    assert response.status_code == status
    if status == 200:
        assert "订单确认" in response.text


@pytest.mark.django_db
def test_sales_sends_a_failed_mail_again(client, make_user):
    failed = OutgoingMail.objects.create(
        what="an order", subject="订单确认", body="正文", to=["c@example.com"]
    )
    OutgoingMail.objects.filter(pk=failed.pk).update(status=MailStatus.FAILED)
    client.force_login(make_user("sales", groups=[roles.SALES], is_staff=True))

    client.post(
        "/admin/outbox/outgoingmail/", {"action": "send_again", "_selected_action": [failed.pk]}
    )

    failed.refresh_from_db()
    assert failed.status == MailStatus.QUEUED
