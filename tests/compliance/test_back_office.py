"""The back office as staff and agents work in it: roles, agents made in admin, verification
that gates service, identity changes re-reviewed, mail that cannot break a page."""

import socket
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import PERMISSIONS
from compliance import services
from compliance.models import (
    Agent,
    Campaign,
    CampaignReminder,
    DocumentStatus,
    Holding,
    SubscriberChange,
    SubscriberStatus,
)
from numbers import services as number_services
from numbers.models import NumberStatus, OrderStatus
from tests.compliance.factories import stored_document
from tests.factories import OfficeFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

REQUIRED = [
    "business_licence",
    "legal_rep_id_front",
    "legal_rep_id_back",
    "supplementary_agreement",
]
ORDERS = reverse("admin:numbers_order_changelist")


@pytest.fixture
def sales(make_user):
    return make_user("sales", groups=["sales"], is_staff=True)


@pytest.fixture
def refusing_smtp(settings):
    """A real SMTP connection to a port on which nothing listens: every send is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 8161))  # free now, and closed again before any mail
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8161, 2
    return settings


def verify(subscriber, agent, reviewer):
    for kind in REQUIRED:
        services.document_approve(
            document=stored_document(subscriber, agent, kind=kind), reviewer=reviewer
        )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.VERIFIED


# --- Roles -------------------------------------------------------------------------------


def test_each_group_holds_exactly_its_listed_permissions():
    for name, wanted in PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        assert granted == wanted
    deletes = {code for codes in PERMISSIONS.values() for code in codes if ".delete_" in code}
    assert deletes == {"news.delete_attachment"}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (ORDERS, 200),
        ("/admin/numbers/callbackrequest/", 200),
        ("/admin/numbers/number/", 200),
        ("/admin/numbers/number/import/", 200),
        ("/admin/numbers/plan/", 200),
        ("/admin/compliance/agent/add/", 200),
        ("/admin/auth/user/", 403),
        ("/admin/auth/group/", 403),
        ("/admin/numbers/plan/add/", 403),
        ("/admin/numbers/prefix/add/", 403),
        ("/admin/news/article/", 403),
        ("/admin/compliance/document/?status__exact=pending", 403),
    ],
)
def test_sales_opens_what_selling_needs_and_nothing_else(client, sales, url, status):
    client.force_login(sales)

    assert client.get(url).status_code == status


def test_sales_confirms_an_order_but_cannot_put_an_unverified_one_in_service(client, sales):
    order = OrderFactory()
    client.force_login(sales)
    selected = {"_selected_action": [order.pk]}

    client.post(ORDERS, {"action": "make_confirmed", **selected})
    client.post(ORDERS, {"action": "make_awaiting_verification", **selected})
    refused = client.post(ORDERS, {"action": "make_active", **selected}, follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VERIFICATION
    assert "尚无用户" in refused.content.decode()
    actions = client.get(ORDERS).context["action_form"].fields["action"].choices
    assert "activate_before_verification" not in dict(actions)


def test_a_named_manager_may_override_verification_with_a_reason(client, make_user):
    manager = make_user("manager", is_staff=True, is_superuser=True)
    order = OrderFactory(status=OrderStatus.AWAITING_VERIFICATION)
    client.force_login(manager)
    selected = {"action": "activate_before_verification", "_selected_action": [order.pk]}

    asked = client.post(ORDERS, selected)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VERIFICATION
    assert "监管要求号码开通前完成实名认证" in asked.content.decode()

    client.post(ORDERS, {**selected, "confirmed": "1", "reason": "政府项目，总经理批准"})

    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    event = order.events.get()
    assert event.actor == manager
    assert "由 manager 在认证前开通：政府项目，总经理批准" in event.note


def test_an_order_goes_into_service_once_its_subscriber_is_verified(
    client, sales, reviewer, agent_a, subscriber_a
):
    order = OrderFactory(status=OrderStatus.CONFIRMED, agent=agent_a)
    services.subscriber_add_number(subscriber=subscriber_a, number=order.number, order=order)
    verify(subscriber_a, agent_a, reviewer)
    client.force_login(sales)

    client.post(ORDERS, {"action": "make_awaiting_verification", "_selected_action": [order.pk]})
    client.post(ORDERS, {"action": "make_active", "_selected_action": [order.pk]})

    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE


def test_editor_works_on_news_and_offices_but_not_on_numbers(client, editor):
    client.force_login(editor)

    assert client.get("/admin/news/article/add/").status_code == 200
    assert client.get("/admin/offices/office/").status_code == 200
    assert client.get("/admin/numbers/number/").status_code == 403
    assert client.get(ORDERS).status_code == 403


# --- Agents made in admin ---------------------------------------------------------------


def logs_in(client, username, password):
    """Through the login page in a browser of their own, as a person would (the lockout
    backend needs the request)."""
    browser = type(client)()
    response = browser.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in browser.session


def test_sales_makes_a_working_agent_in_one_admin_form(client, sales):
    office = OfficeFactory()
    client.force_login(sales)

    response = client.post(
        reverse("admin:compliance_agent_add"),
        {
            "username": "agent-sz",
            "email": "sz@agents.example",
            "password1": "Zk8-portal-pass",
            "password2": "Zk8-portal-pass",
            "company": "深圳代理",
            "office": office.pk,
        },
    )

    assert response.status_code == 302
    agent = Agent.objects.get(company="深圳代理")
    assert agent.user.groups.filter(name="agents").exists()
    assert agent.office == office
    assert logs_in(client, "agent-sz", "Zk8-portal-pass")
    order = OrderFactory()
    client.force_login(sales)
    client.post(
        ORDERS,
        {"action": "assign", "_selected_action": [order.pk], "apply": "1", "agent": agent.user.pk},
    )
    order.refresh_from_db()
    assert order.agent == agent.user


def test_a_stopped_agent_cannot_log_in_and_keeps_its_history(client, sales, agent_a, subscriber_a):
    client.force_login(sales)
    profile = agent_a.agent_profile

    client.post(
        reverse("admin:compliance_agent_changelist"),
        {"action": "deactivate", "_selected_action": [profile.pk]},
    )

    agent_a.refresh_from_db()
    assert not agent_a.is_active
    assert not logs_in(client, "agent_a", "correct-horse-battery")
    assert subscriber_a.agent == agent_a
    with pytest.raises(number_services.OrderError):
        number_services.order_assign(order=OrderFactory(), agent=agent_a)


# --- Identity fields of a subscriber -----------------------------------------------------


def test_changing_a_verified_subscribers_company_name_sends_it_back_to_review(
    client, reviewer, agent_a, subscriber_a
):
    verify(subscriber_a, agent_a, reviewer)
    client.force_login(reviewer)
    url = reverse("admin:compliance_subscriber_change", args=[subscriber_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"company_name": "新名称科技有限公司", "handled_by_legal_rep": "on"})
    for prefix in ("holdings", "documents", "changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    documents = subscriber_a.documents.count()
    data["documents-INITIAL_FORMS"] = data["documents-TOTAL_FORMS"] = str(documents)
    for index, document in enumerate(subscriber_a.documents.order_by("-uploaded_at", "-pk")):
        data[f"documents-{index}-id"] = document.pk
        data[f"documents-{index}-subscriber"] = subscriber_a.pk

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    subscriber_a.refresh_from_db()
    assert subscriber_a.company_name == "新名称科技有限公司"
    assert subscriber_a.status == SubscriberStatus.IN_REVIEW
    reopened = subscriber_a.documents.filter(status=DocumentStatus.PENDING)
    assert set(reopened.values_list("kind", flat=True)) == {
        "business_licence",
        "supplementary_agreement",
    }
    change = SubscriberChange.objects.get()
    assert (change.field, change.new_value, change.actor) == (
        "company_name",
        "新名称科技有限公司",
        reviewer,
    )


def test_a_contact_change_is_logged_and_keeps_the_verification(reviewer, agent_a, subscriber_a):
    verify(subscriber_a, agent_a, reviewer)

    services.subscriber_update(
        subscriber=subscriber_a, changes={"contact_phone": "020-87654321"}, actor=reviewer
    )

    subscriber_a.refresh_from_db()
    assert subscriber_a.status == SubscriberStatus.VERIFIED
    assert SubscriberChange.objects.get().old_value == "020-12345678"


# --- Mail that cannot break a page --------------------------------------------------------


def test_a_review_decision_is_saved_and_answered_while_smtp_refuses(
    client, refusing_smtp, reviewer, agent_a, subscriber_a, django_capture_on_commit_callbacks
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:compliance_document_change", args=[document.pk]),
            {"decision": "approve", "reason": "", "note": ""},
            follow=True,
        )

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    assert f"已通过：{subscriber_a.company_name} 的营业执照。" in response.content.decode()


def test_assigning_and_suspending_do_not_fail_while_smtp_refuses(
    client,
    refusing_smtp,
    sales,
    reviewer,
    agent_a,
    subscriber_a,
    django_capture_on_commit_callbacks,
):
    order = OrderFactory()
    client.force_login(sales)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ORDERS,
            {"action": "assign", "_selected_action": [order.pk], "apply": "1", "agent": agent_a.pk},
        )
        number = order.number
        number.status = NumberStatus.ACTIVE
        number.save()
        Holding.objects.create(subscriber=subscriber_a, number=number)
        services.complaint_record(number=number, kind="fraud", details="诈骗", recorded_by=reviewer)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.agent == agent_a


def test_agents_are_emailed_about_assignments_and_suspensions(
    reviewer, agent_a, subscriber_a, django_capture_on_commit_callbacks, run_jobs
):
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        number_services.order_assign(order=order, agent=agent_a)
    number = order.number
    Holding.objects.create(subscriber=subscriber_a, number=number)
    number.status = NumberStatus.ACTIVE
    number.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_record(
            number=number, kind="fraud", details="冒充客服", recorded_by=reviewer
        )
    run_jobs()

    subjects = [message.subject for message in mail.outbox]
    assert subjects[0].startswith(f"订单 {order.reference} 已分配给您")
    assert subjects[1] == f"号码 {number.formatted} 已被关停"
    assert "冒充客服" in mail.outbox[1].body
    assert {tuple(message.to) for message in mail.outbox} == {("a@agents.example",)}


def test_agents_are_reminded_once_when_a_deadline_nears(
    agent_a, subscriber_a, django_capture_on_commit_callbacks, run_jobs
):
    Campaign.objects.create(title="2027年复核", deadline=timezone.now() + timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaign_remind_agents() == 1
        assert services.campaign_remind_agents() == 0
    run_jobs()

    assert CampaignReminder.objects.count() == 1
    assert len(mail.outbox) == 1
    assert subscriber_a.company_name in mail.outbox[0].body
