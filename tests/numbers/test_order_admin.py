"""Staff handle orders and call-back leads in admin, only through the transition map."""

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import AGENTS
from numbers.models import CallbackRequest, NumberStatus, Order, OrderStatus
from tests.factories import OfficeFactory
from tests.numbers.factories import CallbackRequestFactory, OrderFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/numbers/order/"


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def act(client, action, orders, **extra):
    data = {"action": action, "_selected_action": [order.pk for order in orders], **extra}
    return client.post(CHANGELIST, data, follow=True)


@pytest.mark.parametrize(
    "url",
    [CHANGELIST, "/admin/numbers/callbackrequest/"],
)
def test_admin_lists_need_staff_with_permission(client, make_user, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page

    clerk = make_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403

    model = url.split("/")[-2]
    clerk.user_permissions.add(Permission.objects.get(codename=f"view_{model}"))
    assert client.get(url).status_code == 200


def test_the_order_list_filters_and_searches(staff):
    office = OfficeFactory(name="佛山400电话办理中心")
    wanted = OrderFactory(number__number="4006328888", company="佛山某某陶瓷", office=office)
    OrderFactory(number__number="4006321111", company="东莞某某电子")

    for query in (wanted.reference, "4006328888", "佛山某某", "13800138000"):
        response = staff.get(CHANGELIST, {"q": query})
        assert wanted in response.context["cl"].result_list
        if query != "13800138000":
            assert response.context["cl"].result_count == 1
    assert staff.get(CHANGELIST, {"office__id__exact": office.pk}).context["cl"].result_count == 1
    assert staff.get(CHANGELIST, {"status__exact": "confirmed"}).context["cl"].result_count == 0
    body = staff.get(CHANGELIST).content.decode()
    for filter_title in ("状态", "办理中心", "代理商", "下单时间"):
        assert filter_title in body


def test_confirm_action_goes_through_the_map_and_writes_history(staff, admin_user):
    order = OrderFactory()

    response = act(staff, "make_confirmed", [order])

    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.events.get().actor == admin_user
    assert "1 个订单已变为“已确认”" in response.content.decode()


def test_an_illegal_action_is_refused_with_a_message_and_changes_nothing(staff):
    order = OrderFactory()

    response = act(staff, "make_active", [order])

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert not order.events.exists()
    assert f"订单 {order.reference} 当前为“已提交”，不能变为“已开通”" in response.content.decode()


def test_one_bad_order_does_not_stop_the_others(staff):
    good, bad = OrderFactory(), OrderFactory(status=OrderStatus.CANCELLED)

    act(staff, "make_confirmed", [good, bad])

    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == (OrderStatus.CONFIRMED, OrderStatus.CANCELLED)


def test_cancel_action_frees_the_number(staff):
    order = OrderFactory()

    act(staff, "make_cancelled", [order])

    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.AVAILABLE


def test_activate_after_verification_puts_the_number_in_service(staff):
    order = OrderFactory()
    act(staff, "make_confirmed", [order])
    act(staff, "make_awaiting_verification", [order])
    act(staff, "make_active", [order])

    order.refresh_from_db()
    order.number.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    assert order.number.status == NumberStatus.ACTIVE
    assert order.events.count() == 3


def test_assign_action_asks_for_an_agent_then_assigns(staff, make_user):
    agent = make_user("agent-fs", groups=[AGENTS])
    make_user("not-an-agent")
    order = OrderFactory()

    ask = act(staff, "assign", [order])
    assert ask.status_code == 200
    choices = [str(user) for user in ask.context["form"].fields["agent"].queryset]
    assert choices == ["agent-fs"]

    act(staff, "assign", [order], apply="1", agent=agent.pk, note="就近跟进")

    order.refresh_from_db()
    assert order.agent == agent
    assert order.events.get().note == "就近跟进"


def test_the_change_page_shows_history_read_only_and_cannot_delete(staff):
    order = OrderFactory()
    act(staff, "make_confirmed", [order])

    response = staff.get(f"/admin/numbers/order/{order.pk}/change/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "已由客服确认" in body
    assert f'href="{order.get_signed_url()}"' in body  # "view on site": the customer's page
    assert 'name="events-0-note"' not in body  # history is not editable
    assert f"/admin/numbers/order/{order.pk}/delete/" not in body
    assert (
        staff.post(f"/admin/numbers/order/{order.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Order.objects.filter(pk=order.pk).exists()
    assert staff.get("/admin/numbers/order/add/").status_code == 403


def test_changing_the_agent_on_the_change_page_is_recorded(staff, make_user):
    agent = make_user("agent-sz", groups=[AGENTS])
    order = OrderFactory()
    data = {
        "company": order.company,
        "name": order.name,
        "mobile": order.mobile,
        "email": "",
        "message": "",
        "office": "",
        "agent": agent.pk,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "0",
    }

    response = staff.post(f"/admin/numbers/order/{order.pk}/change/", data)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.agent == agent
    assert order.events.get().note == "已分配给 agent-sz。"


def test_a_call_back_lead_is_marked_handled_with_who_and_when(staff, admin_user):
    lead = CallbackRequestFactory()

    staff.post(
        "/admin/numbers/callbackrequest/",
        {"action": "mark_handled", "_selected_action": [lead.pk]},
    )

    lead.refresh_from_db()
    assert lead.handled is True
    assert lead.handled_by == admin_user
    assert lead.handled_at is not None
    assert CallbackRequest.objects.filter(handled=False).count() == 0
