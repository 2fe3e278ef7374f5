"""Exactly one winner: many customers ordering one number at the same moment.

Real threads, real transactions: each thread's requests run on its own database
connection (Django keeps one per thread), which the thread closes when done.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from numbers.models import NumberStatus, Order, OrderStatus
from tests.factories import NumberFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 32
ROUNDS = 5


def order_at_once(digits: str, order_data: dict, requests: int = REQUESTS) -> list:
    """POST the order form ``requests`` times in parallel, from as many clients."""
    start = threading.Barrier(requests)
    results = [None] * requests

    def customer(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
            data = {**order_data, "mobile": f"139{i:08d}"}
            start.wait(timeout=30)
            response = client.post(f"/numbers/{digits}/order/", data)
            results[i] = (response.status_code, response.content.decode())
        except Exception as error:  # reported below, with the round that failed
            results[i] = (None, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=customer, args=(i,)) for i in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def assert_one_winner(number, results):
    statuses = Counter(status for status, _ in results)
    assert statuses == {302: 1, 409: REQUESTS - 1}, [body[:300] for _, body in results]
    for status, body in results:
        if status == 409:
            assert "该号码刚刚被预订" in body
    assert Order.objects.filter(number=number).open().count() == 1
    number.refresh_from_db()
    assert number.status == NumberStatus.HELD
    assert number.hold_expires_at > timezone.now()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_concurrent_orders_for_an_available_number_have_exactly_one_winner(round_, order_data):
    number = NumberFactory(number=f"400632{round_:04d}")

    results = order_at_once(number.number, order_data)

    assert_one_winner(number, results)
    assert Order.objects.filter(number=number).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_orders_for_a_number_whose_hold_ran_out_have_exactly_one_winner(
    round_, order_data
):
    lapsed = OrderFactory(
        number__number=f"400633{round_:04d}",
        number__hold_expires_at=timezone.now() - timedelta(seconds=1),
    )
    number = lapsed.number

    results = order_at_once(number.number, order_data)

    assert_one_winner(number, results)
    lapsed.refresh_from_db()
    assert lapsed.status == OrderStatus.EXPIRED
    assert lapsed.events.filter(to_status=OrderStatus.EXPIRED).count() == 1
    assert Order.objects.filter(number=number).count() == 2
