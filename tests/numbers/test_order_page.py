"""The customer's order page: a signed link, or the reference with the mobile."""

import re

import pytest
from django.test import Client

from numbers import services
from numbers.models import OrderStatus
from tests.factories import OfficeFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

LOOKUP_FAILED = "未找到与该订单号和手机号相符的订单。"


def test_the_signed_link_opens_the_order_page_with_number_status_hold_and_office(client):
    office = OfficeFactory(name="深圳400电话办理中心", phone="0755-12345678")
    order = OrderFactory(number__number="4006328888", office=office)

    response = client.get(order.get_signed_url(), follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "400-632-8888" in body
    assert "已提交" in body
    assert 'aria-current="step"' in body
    assert "已为您预订" in body
    assert "营业执照复印件" in body  # the next step names the documents
    assert "深圳400电话办理中心" in body
    assert "tel:0755-12345678" in body
    assert "138****8000" in body
    assert "13800138000" not in body
    assert "no-store" in response["Cache-Control"]


def test_without_the_key_the_order_page_asks_for_the_mobile_and_shows_nothing(client):
    order = OrderFactory(company="广州示例贸易有限公司")

    for url in (order.get_absolute_url(), order.get_absolute_url() + "?key=forged"):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert "广州示例贸易有限公司" not in body
        assert 'name="mobile"' in body
        assert f'value="{order.reference}"' in body


def test_a_key_of_one_order_does_not_open_another(client):
    one, other = OrderFactory(), OrderFactory()

    response = client.get(f"{other.get_absolute_url()}?key={one.access_key()}")

    assert "订单查询" in response.content.decode()
    assert "timeline" not in response.content.decode()


def test_an_unknown_reference_looks_exactly_like_a_known_one_without_key(client):
    order = OrderFactory()
    known = client.get(order.get_absolute_url()).content.decode()
    unknown = client.get("/orders/ZZZZZZZZ/").content.decode()

    def without_csrf_token(body):  # masked afresh on every response
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert without_csrf_token(known.replace(order.reference, "ZZZZZZZZ")) == without_csrf_token(
        unknown
    )


def test_reference_and_mobile_open_the_order_page(client):
    order = OrderFactory(mobile="13800138000")

    response = client.post(
        "/orders/", {"reference": order.reference.lower(), "mobile": "138 0013 8000"}
    )

    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert "timeline" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"reference": "WRONGREF", "mobile": "13800138000"},  # wrong reference
        {"mobile": "13912345678"},  # right reference, wrong mobile
        {"reference": "x", "mobile": "not a mobile"},  # nonsense
    ],
)
def test_a_failed_lookup_gets_one_generic_message(client, data):
    order = OrderFactory(mobile="13800138000")
    data = {"reference": order.reference, **data}

    response = client.post("/orders/", data)

    assert response.status_code == 400
    body = response.content.decode()
    assert LOOKUP_FAILED in body
    assert "field__error" not in body


def test_failed_lookups_are_rate_limited_per_client(settings):
    settings.RATE_LIMIT_ORDER_LOOKUPS = "3/h"
    order = OrderFactory(mobile="13800138000")
    guesser = Client(REMOTE_ADDR="203.0.113.9")

    statuses = [
        guesser.post(
            "/orders/", {"reference": order.reference, "mobile": f"1391234567{i}"}
        ).status_code
        for i in range(4)
    ]
    right = guesser.post("/orders/", {"reference": order.reference, "mobile": "13800138000"})

    assert statuses == [400, 400, 400, 429]
    assert right.status_code == 429  # even a right guess, once over the limit
    assert (
        Client(REMOTE_ADDR="203.0.113.10")
        .post("/orders/", {"reference": order.reference, "mobile": "13800138000"})
        .status_code
        == 302
    )


def test_the_order_page_follows_the_order_through_its_life(client):
    order = OrderFactory()
    services.order_transition(order=order, to=OrderStatus.CONFIRMED)
    services.order_transition(order=order, to=OrderStatus.AWAITING_VERIFICATION)

    body = client.get(order.get_signed_url(), follow=True).content.decode()

    assert "实名审核中" in body
    assert body.count("timeline__step--done") == 2
    assert "已为您预订" not in body  # confirmed orders keep the number without a deadline


def test_the_order_page_exists_in_english(client):
    order = OrderFactory(language="en")

    with_key = f"/en{order.get_absolute_url()}?key={order.access_key()}"
    body = client.get(with_key, follow=True).content.decode()

    assert "Next step" in body
    assert "Submitted" in body
