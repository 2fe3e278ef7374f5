"""A number's status moves only through its map, each move with history; admin cannot bypass it."""

from itertools import product

import pytest
from django.urls import reverse

from accounts.history import IllegalTransition
from numbers import services
from numbers.models import Number, NumberStatus, OrderStatus
from tests.factories import NumberFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

MOVES = list(product(NumberStatus, repeat=2))
LEGAL = [(s, t) for s, t in MOVES if t in Number.TRANSITIONS[s]]
ILLEGAL = [(s, t) for s, t in MOVES if t not in Number.TRANSITIONS[s]]


def test_the_map_names_every_status_and_retired_is_final():
    assert set(Number.TRANSITIONS) == set(NumberStatus)
    assert Number.TRANSITIONS[NumberStatus.RETIRED] == frozenset()
    assert all(
        NumberStatus.RETIRED in Number.TRANSITIONS[s] for s in NumberStatus if s != "retired"
    )


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_a_legal_move_is_applied_with_a_history_row(source, target, admin_user):
    number = NumberFactory(status=source)

    services.number_transition(number=number, to=target, actor=admin_user, note="盘点")

    number.refresh_from_db()
    assert number.status == target
    assert number.hold_expires_at is None
    change = number.status_changes.get()
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        source,
        target,
        admin_user,
        "盘点",
    )


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_an_illegal_move_is_refused_and_changes_nothing(source, target):
    number = NumberFactory(status=source)

    with pytest.raises(IllegalTransition):
        services.number_transition(number=number, to=target)

    number.refresh_from_db()
    assert number.status == source
    assert not number.status_changes.exists()


def test_cancelling_an_order_frees_its_number_with_the_staff_member_in_the_history(admin_user):
    order = OrderFactory()

    services.order_transition(order=order, to=OrderStatus.CANCELLED, actor=admin_user, note="x")

    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.AVAILABLE
    change = order.number.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("held", "available", admin_user)


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))


def test_admin_cannot_rewrite_the_digits_status_or_hold_of_a_number(client, staff):
    order = OrderFactory()
    number = order.number
    url = reverse("admin:numbers_number_change", args=[number.pk])

    page = client.get(url).content.decode()
    client.post(
        url,
        {
            "number": "4009999999",
            "status": NumberStatus.AVAILABLE,
            "hold_expires_at_0": "",
            "price": 123,
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    number.refresh_from_db()
    assert 'name="number"' not in page
    assert 'name="status"' not in page
    assert (number.number, number.status, number.price) == (order.number.number, "held", 123)


def test_admin_retire_goes_through_the_map_and_is_recorded(client, staff):
    free = NumberFactory()
    client.post(
        reverse("admin:numbers_number_changelist"),
        {"action": "retire", "_selected_action": [free.pk]},
    )

    free.refresh_from_db()
    assert free.status == NumberStatus.RETIRED
    assert free.status_changes.get().to_status == NumberStatus.RETIRED
    history = client.get(reverse("admin:numbers_number_change", args=[free.pk])).content.decode()
    assert "状态记录" in history
