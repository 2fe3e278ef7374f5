"""The order lifecycle: the transition map, its history, and what it does to the number."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.history import IllegalTransition
from accounts.roles import AGENTS
from numbers import services
from numbers.models import NumberStatus, Order, OrderEvent, OrderStatus
from tests.factories import NumberFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

ORDER_TRANSITIONS = Order.TRANSITIONS

ALL_MOVES = [(source, target) for source in OrderStatus for target in OrderStatus]
LEGAL = [(s, t) for s, t in ALL_MOVES if t in ORDER_TRANSITIONS[s]]
ILLEGAL = [(s, t) for s, t in ALL_MOVES if t not in ORDER_TRANSITIONS[s]]


def order_in(status, **kwargs):
    """An order in ``status`` with its number as that status leaves it."""
    number_status = {
        OrderStatus.ACTIVE: NumberStatus.ACTIVE,
        OrderStatus.CANCELLED: NumberStatus.AVAILABLE,
        OrderStatus.EXPIRED: NumberStatus.AVAILABLE,
    }.get(status, NumberStatus.HELD)
    expiry = timezone.now() + timedelta(hours=72) if status == OrderStatus.SUBMITTED else None
    return OrderFactory(
        status=status, number__status=number_status, number__hold_expires_at=expiry, **kwargs
    )


def test_the_map_covers_every_status_and_ends_in_exits():
    assert set(ORDER_TRANSITIONS) == set(OrderStatus)
    for status in (OrderStatus.ACTIVE, OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        assert ORDER_TRANSITIONS[status] == frozenset()
    assert len(LEGAL) == 7


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(source, target, admin_user):
    order = order_in(source)
    number_before = (order.number.status, order.number.hold_expires_at)

    with pytest.raises(IllegalTransition):
        services.order_transition(order=order, to=target, actor=admin_user)

    order.refresh_from_db()
    order.number.refresh_from_db()
    assert order.status == source
    assert (order.number.status, order.number.hold_expires_at) == number_before
    assert not OrderEvent.objects.exists()


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_move_writes_history_with_who_when_and_note(source, target, admin_user):
    order = order_in(source)
    if target == OrderStatus.EXPIRED:
        order.number.hold_expires_at = timezone.now() - timedelta(minutes=1)
        order.number.save()
    before = timezone.now()

    services.order_transition(order=order, to=target, actor=admin_user, note="客户来电")

    order.refresh_from_db()
    assert order.status == target
    event = order.events.get()
    assert (event.from_status, event.to_status) == (source, target)
    assert event.actor == admin_user
    assert event.note == "客户来电"
    assert before <= event.created_at <= timezone.now()


@pytest.mark.parametrize("source", [OrderStatus.SUBMITTED, OrderStatus.CONFIRMED])
def test_cancelling_frees_the_number(source):
    order = order_in(source)

    services.order_transition(order=order, to=OrderStatus.CANCELLED)

    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.AVAILABLE
    assert order.number.hold_expires_at is None
    assert order.number in type(order.number).objects.orderable()


def test_cancelling_keeps_a_suspended_number_suspended():
    order = order_in(OrderStatus.CONFIRMED)
    order.number.status = NumberStatus.SUSPENDED
    order.number.save()

    services.order_transition(order=order, to=OrderStatus.CANCELLED)

    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.SUSPENDED


def test_expiring_frees_the_number():
    order = order_in(OrderStatus.SUBMITTED)
    order.number.hold_expires_at = timezone.now() - timedelta(seconds=1)
    order.number.save()

    services.order_transition(order=order, to=OrderStatus.EXPIRED)

    order.number.refresh_from_db()
    assert (order.number.status, order.number.hold_expires_at) == (NumberStatus.AVAILABLE, None)


def test_an_order_cannot_expire_while_its_hold_runs():
    order = order_in(OrderStatus.SUBMITTED)

    with pytest.raises(services.OrderError):
        services.order_transition(order=order, to=OrderStatus.EXPIRED)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_confirming_keeps_the_number_held_without_an_expiry():
    order = order_in(OrderStatus.SUBMITTED)

    services.order_transition(order=order, to=OrderStatus.CONFIRMED)

    order.number.refresh_from_db()
    assert (order.number.status, order.number.hold_expires_at) == (NumberStatus.HELD, None)
    assert order.number not in type(order.number).objects.orderable()


def test_activating_puts_the_number_in_service_and_out_of_the_catalogue():
    order = order_in(OrderStatus.AWAITING_VERIFICATION)

    services.order_transition(order=order, to=OrderStatus.ACTIVE)

    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.ACTIVE
    assert order.number not in type(order.number).objects.listed()


def test_the_whole_path_leaves_a_complete_history():
    order = order_in(OrderStatus.SUBMITTED)
    for status in (
        OrderStatus.CONFIRMED,
        OrderStatus.AWAITING_VERIFICATION,
        OrderStatus.ACTIVE,
    ):
        services.order_transition(order=order, to=status)

    assert list(order.events.values_list("to_status", flat=True)) == [
        "confirmed",
        "awaiting_verification",
        "active",
    ]
    steps = order.timeline(list(order.events.all()))
    assert [step["state"] for step in steps] == ["done", "done", "done", "current"]


def test_the_timeline_of_a_cancelled_order_ends_with_the_cancellation():
    order = order_in(OrderStatus.SUBMITTED)
    services.order_transition(order=order, to=OrderStatus.CONFIRMED)
    services.order_transition(order=order, to=OrderStatus.CANCELLED)

    steps = order.timeline(list(order.events.all()))

    assert [step["status"] for step in steps] == ["submitted", "confirmed", "cancelled"]
    assert steps[-1]["state"] == "current"


def test_at_most_one_open_order_per_number_is_a_database_rule():
    from django.db import IntegrityError

    order = order_in(OrderStatus.CONFIRMED)
    with pytest.raises(IntegrityError):
        Order.objects.create(number=order.number, name="x", company="y", mobile="13800138000")


def test_a_number_may_have_many_closed_orders_and_one_open():
    number = NumberFactory()
    for _ in range(3):
        OrderFactory(number=number, status=OrderStatus.CANCELLED)
    OrderFactory(number=number, status=OrderStatus.SUBMITTED)

    assert number.orders.count() == 4


def test_assigning_an_agent_records_it_and_refuses_non_agents(make_user, admin_user):
    order = order_in(OrderStatus.SUBMITTED)
    agent = make_user("agent-gz", groups=[AGENTS])
    stranger = make_user("someone")

    services.order_assign(order=order, agent=agent, actor=admin_user)
    with pytest.raises(services.OrderError):
        services.order_assign(order=order, agent=stranger, actor=admin_user)

    order.refresh_from_db()
    assert order.agent == agent
    assert list(Order.objects.assigned_to(agent)) == [order]
    assert order.events.get().note == "已分配给 agent-gz。"


def test_release_expired_holds_expires_lapsed_orders_and_frees_their_numbers():
    lapsed = order_in(OrderStatus.SUBMITTED)
    lapsed.number.hold_expires_at = timezone.now() - timedelta(hours=1)
    lapsed.number.save()
    running = order_in(OrderStatus.SUBMITTED)
    confirmed = order_in(OrderStatus.CONFIRMED)
    orphan = NumberFactory(
        status=NumberStatus.HELD, hold_expires_at=timezone.now() - timedelta(days=1)
    )
    out = StringIO()

    call_command("release_expired_holds", stdout=out)

    assert "Released 2" in out.getvalue()
    lapsed.refresh_from_db()
    assert lapsed.status == OrderStatus.EXPIRED
    for number in (lapsed.number, orphan):
        number.refresh_from_db()
        assert (number.status, number.hold_expires_at) == (NumberStatus.AVAILABLE, None)
    for order in (running, confirmed):
        order.refresh_from_db()
        order.number.refresh_from_db()
        assert order.status in (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED)
        assert order.number.status == NumberStatus.HELD
    call_command("release_expired_holds", stdout=out)
    assert "Released 0" in out.getvalue()
