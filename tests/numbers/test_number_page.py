"""The number page: facts, classes in words, plan calculator, rules, order call to action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from numbers.models import NumberStatus
from tests.factories import NumberFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_number_page_shows_the_number_operator_price_plan_and_classes_in_words(client):
    NumberFactory(number="4006328888", price=25000)

    response = client.get("/en/numbers/4006328888/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="number-page__digits">400-632-8888</h1>' in body
    assert "China Unicom" in body
    assert "¥25,000/year" in body
    assert "The last four digits are the same digit" in body
    assert "The last three digits are the same digit" in body


@pytest.mark.parametrize(
    "status", [NumberStatus.ACTIVE, NumberStatus.SUSPENDED, NumberStatus.RETIRED]
)
def test_unlisted_numbers_are_404(client, status):
    NumberFactory(number="4006328888", status=status)

    assert client.get("/numbers/4006328888/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/numbers/4006999999/", "/numbers/4106328888/", "/numbers/400632888/"]
)
def test_unknown_or_malformed_numbers_are_404(client, path):
    assert client.get(path).status_code == 404


def test_calculator_defaults_to_the_included_minutes(client):
    NumberFactory(
        number="4006328888",
        plan=PlanFactory(annual_fee=24000, included_minutes=1000, per_minute_fen=15),
    )

    body = client.get("/en/numbers/4006328888/").content.decode()

    assert "Monthly minimum" in body
    assert "¥2,000.00" in body  # 24,000 / 12
    assert "For 1,000 minutes a month" in body


def test_calculator_adds_minutes_beyond_the_included_ones(client):
    NumberFactory(
        number="4006328888",
        plan=PlanFactory(annual_fee=24000, included_minutes=1000, per_minute_fen=15),
    )

    response = client.get("/en/numbers/4006328888/", {"minutes": 3000})

    estimate = response.context["estimate"]
    assert response.status_code == 200
    assert (estimate.extra_minutes, estimate.extra_fen, estimate.monthly_fen) == (
        2000,
        30000,
        230000,
    )
    body = response.content.decode()
    assert "¥300.00" in body and "¥2,300.00" in body and "¥27,600.00" in body


@pytest.mark.parametrize("minutes", ["lots", "-1", "1e9", "99999999"])
def test_calculator_rejects_bad_minutes_next_to_the_field(client, minutes):
    NumberFactory(number="4006328888")

    response = client.get("/en/numbers/4006328888/", {"minutes": minutes})

    assert response.status_code == 400
    assert 'id="id_minutes_error"' in response.content.decode()


def test_compliance_rules_are_listed(client):
    NumberFactory(number="4006328888")

    body = client.get("/numbers/4006328888/").content.decode()

    assert "只能接听" in body  # inbound only
    assert "主叫号码" in body  # never shown on outbound calls
    assert "彩铃" in body and "注册" in body


def test_order_section_carries_the_order_form(client):
    NumberFactory(number="4006328888")

    body = client.get("/numbers/4006328888/").content.decode()

    assert 'id="order"' in body
    assert 'action="/numbers/4006328888/order/"' in body


def test_held_number_shows_reserved_with_time_left_and_no_order_link(client):
    NumberFactory(
        number="4006328888",
        status=NumberStatus.HELD,
        hold_expires_at=timezone.now() + timedelta(hours=2, minutes=1),
    )

    body = client.get("/en/numbers/4006328888/").content.decode()

    assert "Reserved" in body and "2\xa0hours" in body
    assert 'href="/en/numbers/4006328888/order/"' not in body


def test_number_with_an_expired_hold_is_orderable(client):
    NumberFactory(
        number="4006328888",
        status=NumberStatus.HELD,
        hold_expires_at=timezone.now() - timedelta(seconds=1),
    )

    body = client.get("/en/numbers/4006328888/").content.decode()

    assert "Reserved" not in body
    assert 'action="/en/numbers/4006328888/order/"' in body


def test_similar_numbers_share_a_class_or_the_ending(client):
    NumberFactory(number="4006328888")
    NumberFactory(number="4007776666")  # a4 too
    NumberFactory(number="4009123888")  # same last three
    NumberFactory(number="4006135702")  # nothing in common
    NumberFactory(number="4006996666", status=NumberStatus.RETIRED)

    similar = [n.number for n in client.get("/numbers/4006328888/").context["similar"]]

    assert sorted(similar) == ["4007776666", "4009123888"]
