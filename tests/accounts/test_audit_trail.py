"""Every staff change is on the record: who, what, when, before/after, from where; read-only."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    user = make_user("root", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    client.force_login(user)
    return user, client


def test_a_price_change_in_admin_is_recorded_with_actor_address_and_before_after(staff, settings):
    settings.NUM_PROXIES = 1
    user, client = staff
    number = NumberFactory(number="4006328888", price=8800)
    page = client.get(f"/admin/numbers/number/{number.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(key): value for key, value in management.initial.items()}
        )
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data.update(price=9900)
    data = {key: value for key, value in data.items() if value is not False}

    saved = client.post(f"/admin/numbers/number/{number.pk}/change/", data)
    assert saved.status_code == 302

    number.refresh_from_db()
    entry = LogEntry.objects.get_for_object(number).get(action=LogEntry.Action.UPDATE)
    assert (entry.actor, entry.remote_addr) == (user, "198.51.100.4")  # not the forged entry
    assert entry.changes_dict["price"] == [8800, 9900]


def test_group_membership_changes_are_recorded(staff, make_user):
    user, client = staff
    agent = make_user("someone")
    group = Group.objects.get_or_create(name="reviewers")[0]

    client.post(
        f"/admin/auth/user/{agent.pk}/change/",
        {
            "username": "someone",
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert LogEntry.objects.filter(object_repr="someone", actor=user).exists()
    assert "password" not in LogEntry.objects.filter(object_repr="someone").first().changes_dict


def test_the_audit_trail_can_be_read_but_not_changed_or_deleted(staff):
    _user, client = staff
    number = NumberFactory()
    client.post(f"/admin/numbers/number/{number.pk}/delete/", {"post": "yes"})
    entry = LogEntry.objects.latest("pk")

    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_anonymous_customers_leave_no_audit_entries(client):
    NumberFactory(number="4006328888")
    before = LogEntry.objects.count()

    placed = client.post(
        "/numbers/4006328888/order/",
        {
            "name": "王经理",
            "company": "示例有限公司",
            "mobile": "13800138000",
            "accept_rules": "on",
        },
    )

    assert placed.status_code == 302
    assert LogEntry.objects.count() == before  # the order keeps its own history instead
