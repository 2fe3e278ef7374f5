"""Ordering a number through POST /numbers/<digits>/order/: the happy path and every refusal."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from numbers.models import NumberStatus, Order, OrderStatus
from tests.factories import NumberFactory, OfficeFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

URL = "/numbers/4006328888/order/"


def assert_nothing_held(number):
    number.refresh_from_db()
    assert number.status == NumberStatus.AVAILABLE
    assert number.hold_expires_at is None
    assert not Order.objects.filter(number=number).exists()


def test_order_holds_the_number_and_redirects_to_the_orders_page(client, order_data, settings):
    settings.ORDER_HOLD_HOURS = 72
    number = NumberFactory(number="4006328888")
    office = OfficeFactory()
    before = timezone.now()

    response = client.post(URL, {**order_data, "office": office.pk, "email": "boss@example.com"})

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.reference}/"  # this browser may open it
    assert order.status == OrderStatus.SUBMITTED
    assert (order.name, order.company, order.mobile) == (
        "王经理",
        "广州示例贸易有限公司",
        "13800138000",
    )
    assert order.office == office
    assert order.email == "boss@example.com"
    assert order.language == "zh-hans"
    number.refresh_from_db()
    assert number.status == NumberStatus.HELD
    assert (
        before + timedelta(hours=72)
        <= number.hold_expires_at
        <= timezone.now() + timedelta(hours=72)
    )


def test_order_reference_is_eight_characters_that_read_clearly_over_the_phone(client, order_data):
    for digits in ("4006328888", "4006328889", "4006328880"):
        NumberFactory(number=digits)
        client.post(f"/numbers/{digits}/order/", order_data)

    references = list(Order.objects.values_list("reference", flat=True))
    assert len(set(references)) == 3
    for reference in references:
        assert len(reference) == 8
        assert not set(reference) & set("0O1IL")


def test_confirmation_page_thanks_the_customer_and_shows_the_reference(client, order_data):
    NumberFactory(number="4006328888")

    response = client.post(URL, order_data, follow=True)

    order = Order.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert f"谢谢！我们已收到您的订单 {order.reference}。" in body
    assert "400-632-8888" in body
    assert "已提交" in body


def test_full_width_digits_and_spaces_in_the_mobile_are_accepted(client, order_data):
    NumberFactory(number="4006328888")

    response = client.post(URL, {**order_data, "mobile": "１３８　００１３ ８０００"})

    assert response.status_code == 302
    assert Order.objects.get().mobile == "13800138000"


def test_an_order_in_english_is_remembered_as_english(client, order_data):
    NumberFactory(number="4006328888")

    response = client.post("/en" + URL, order_data)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/orders/")
    assert Order.objects.get().language == "en"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"mobile": "02087654321"}, "mobile", "请输入中国大陆手机号"),
        ({"mobile": "1380013800"}, "mobile", "请输入中国大陆手机号"),
        ({"mobile": ""}, "mobile", "这个字段是必填项"),
        ({"accept_rules": ""}, "accept_rules", "请先同意400号码使用规定"),
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"company": ""}, "company", "这个字段是必填项"),
        ({"email": "not-an-address"}, "email", "有效的 Email 地址"),
        ({"office": "999999"}, "office", "选择一个有效的选项"),
        ({"message": "长" * 1001}, "message", "1000"),
    ],
)
def test_bad_input_is_answered_next_to_the_field_and_holds_nothing(
    client, order_data, change, field, message
):
    number = NumberFactory(number="4006328888")

    response = client.post(URL, {**order_data, **change})

    assert response.status_code == 400
    assert message in " ".join(response.context["order_form"].errors[field])
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert_nothing_held(number)


def test_the_form_keeps_what_the_customer_typed_after_an_error(client, order_data):
    NumberFactory(number="4006328888")

    response = client.post(URL, {**order_data, "mobile": "123"})

    body = response.content.decode()
    assert 'value="广州示例贸易有限公司"' in body
    assert 'value="王经理"' in body


def test_a_filled_honeypot_is_refused_and_holds_nothing(client, order_data):
    number = NumberFactory(number="4006328888")

    response = client.post(URL, {**order_data, "website": "http://spam.example"})

    assert response.status_code == 400
    assert "您的表单未能受理" in response.content.decode()
    assert_nothing_held(number)


def test_the_honeypot_is_in_the_form_but_hidden_from_people(client):
    NumberFactory(number="4006328888")

    body = client.get(URL).content.decode()

    assert 'class="hp-field" aria-hidden="true"' in body
    assert 'name="website"' in body
    assert 'tabindex="-1"' in body


def test_over_the_rate_limit_a_friendly_page_answers_429_and_nothing_is_held(order_data, settings):
    settings.RATE_LIMIT_ORDERS_PER_ADDRESS = "2/h"
    numbers = [NumberFactory(number=f"400632888{i}") for i in range(3)]
    client = Client(REMOTE_ADDR="203.0.113.7")

    first = client.post(f"/numbers/{numbers[0].number}/order/", order_data)
    second = client.post(f"/numbers/{numbers[1].number}/order/", order_data)
    third = client.post(f"/numbers/{numbers[2].number}/order/", order_data)

    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert 1 <= int(third["Retry-After"]) <= 3600  # until this hour's window ends
    page = third.content.decode()
    assert "请求过于频繁" in page
    assert "tel:" in page
    minutes = -(-int(third["Retry-After"]) // 60)
    assert f"{minutes} 分钟" in page  # says when to try again
    # The form comes back as the customer filled it in.
    form = third.context["order_form"]
    assert (form["name"].value(), form["company"].value()) == ("王经理", "广州示例贸易有限公司")
    assert 'value="广州示例贸易有限公司"' in page
    assert_nothing_held(numbers[2])
    # Another customer is not affected by the first one's limit.
    assert (
        Client(REMOTE_ADDR="203.0.113.8").post(third.request["PATH_INFO"], order_data).status_code
        == 302
    )


def test_the_rate_limit_counts_the_client_behind_the_trusted_proxy(order_data, settings):
    settings.RATE_LIMIT_ORDERS_PER_ADDRESS = "1/h"
    settings.NUM_PROXIES = 1
    NumberFactory(number="4006328881")
    NumberFactory(number="4006328882")
    NumberFactory(number="4006328883")
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    one = proxy.post("/numbers/4006328881/order/", order_data, HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = proxy.post(
        "/numbers/4006328882/order/", order_data, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    again = proxy.post(
        "/numbers/4006328883/order/", order_data, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    assert (one.status_code, other.status_code, again.status_code) == (302, 302, 429)


def test_an_office_behind_one_address_orders_more_than_one_person_may(order_data, settings):
    settings.RATE_LIMIT_ORDERS = "2/h"
    settings.HOLD_LIMIT_PER_COMPANY = 6  # the hourly limits are under test here, not holds
    office = Client(REMOTE_ADDR="203.0.113.7")
    numbers = [NumberFactory(number=f"400632888{i}") for i in range(6)]

    statuses = [
        office.post(
            f"/numbers/{number.number}/order/", {**order_data, "mobile": mobile}
        ).status_code
        for number, mobile in zip(
            numbers, ["13800138000", "13900139000", "13700137000"] * 2, strict=True
        )
    ]

    # Three colleagues, two orders each: nobody over the per-mobile limit, all taken.
    assert statuses == [302] * 6


def test_one_mobile_is_limited_from_every_address(order_data, settings):
    settings.RATE_LIMIT_ORDERS = "2/h"
    numbers = [NumberFactory(number=f"400632888{i}") for i in range(3)]

    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        .post(f"/numbers/{number.number}/order/", order_data)
        .status_code
        for n, number in enumerate(numbers)
    ]

    assert statuses == [302, 302, 429]
    assert_nothing_held(numbers[2])


def test_a_held_number_answers_409_with_just_taken_and_similar_numbers(client, order_data):
    order = OrderFactory(number__number="4006328888")
    NumberFactory(number="4001238888")  # same ending
    NumberFactory(number="4006320001")  # same prefix
    NumberFactory(number="4001230001")  # neither
    NumberFactory(number="4009998888", status=NumberStatus.ACTIVE)  # same ending, but sold

    response = client.post(URL, {**order_data, "mobile": "13912345678"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "该号码刚刚被预订" in body
    similar = [n.number for n in response.context["similar_numbers"]]
    assert similar == ["4001238888", "4006320001"]
    assert Order.objects.get() == order


@pytest.mark.parametrize(
    "status", [NumberStatus.ACTIVE, NumberStatus.SUSPENDED, NumberStatus.RETIRED]
)
def test_a_number_no_longer_offered_answers_409(client, order_data, status):
    number = NumberFactory(number="4006328888", status=status)

    response = client.post(URL, order_data)

    assert response.status_code == 409
    assert not Order.objects.exists()
    number.refresh_from_db()
    assert number.status == status


def test_an_unknown_number_is_404(client, order_data):
    assert client.post(URL, order_data).status_code == 404
    assert client.get(URL).status_code == 404


def test_an_expired_hold_is_orderable_at_once_and_ends_the_old_order(client, order_data):
    old = OrderFactory(
        number__number="4006328888",
        number__hold_expires_at=timezone.now() - timedelta(minutes=1),
    )

    response = client.post(URL, {**order_data, "mobile": "13912345678"})

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == OrderStatus.EXPIRED
    assert old.events.get().note == "预订已到期。"
    new = Order.objects.exclude(pk=old.pk).get()
    assert new.status == OrderStatus.SUBMITTED
    new.number.refresh_from_db()
    assert new.number.hold_expires_at > timezone.now()


def test_a_confirmed_order_keeps_its_number_even_without_an_expiry(client, order_data):
    OrderFactory(
        number__number="4006328888", number__hold_expires_at=None, status=OrderStatus.CONFIRMED
    )

    response = client.post(URL, order_data)

    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_a_stray_open_order_on_an_available_number_is_409_not_500(client, order_data):
    # Staff set the number back to available by hand while its order stayed open:
    # the database constraint still allows only one open order.
    OrderFactory(number__number="4006328888", number__status=NumberStatus.AVAILABLE)

    response = client.post(URL, order_data)

    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_get_shows_the_order_form_that_works_without_javascript(client):
    NumberFactory(number="4006328888")
    OfficeFactory(name="广州400电话办理中心")

    response = client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'action="{URL}"' in body
    assert 'method="post"' in body
    for field in ("name", "company", "mobile", "email", "office", "message", "accept_rules"):
        assert f'name="{field}"' in body
    assert "广州400电话办理中心" in body
    assert re.findall(r"<script[^>]*>", body) == [
        '<script type="application/ld+json">'
    ]  # data only
    assert "style=" not in body


def test_get_of_a_held_number_says_it_was_taken(client):
    OrderFactory(number__number="4006328888")

    response = client.get(URL)

    assert response.status_code == 409
    assert "该号码刚刚被预订" in response.content.decode()


def test_the_number_page_carries_the_order_form(client):
    NumberFactory(number="4006328888")

    body = client.get("/numbers/4006328888/").content.decode()

    assert f'action="{URL}"' in body
    assert "订购此号码" in body


def test_the_number_page_of_a_held_number_shows_reserved_with_the_time_left(client):
    OrderFactory(
        number__number="4006328888",
        number__hold_expires_at=timezone.now() + timedelta(hours=5, minutes=30),
    )

    body = client.get("/numbers/4006328888/").content.decode()

    assert "已预订" in body
    assert "还剩 5" in body
    assert f'action="{URL}"' not in body


def test_the_catalogue_shows_held_numbers_as_reserved_and_expired_holds_as_free(client):
    OrderFactory(number__number="4006328888")
    OrderFactory(
        number__number="4006326666", number__hold_expires_at=timezone.now() - timedelta(hours=1)
    )

    body = client.get("/numbers/").content.decode().split("</head>")[1]

    held_card = body.split("400-632-8888")[1].split("</article>")[0]
    lapsed_card = body.split("400-632-6666")[1].split("</article>")[0]
    assert "已预订" in held_card
    assert "已预订" not in lapsed_card


def test_csrf_is_enforced_on_the_order_form(order_data):
    NumberFactory(number="4006328888")

    response = Client(enforce_csrf_checks=True).post(URL, order_data)

    assert response.status_code == 403
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_order_post_holds_orders_and_queues_its_mails_in_one_transaction(
    client, order_data, settings, django_assert_max_num_queries, mailoutbox, run_jobs
):
    settings.STAFF_NOTIFY_EMAILS = ["orders@example.com"]
    # The order's own statements: rate-limit counters live in Redis in production
    # (in the database only on the embedded default without Redis).
    settings.CACHES = {**settings.CACHES, "limits": settings.CACHES["default"]}
    NumberFactory(number="4006328888")
    office = OfficeFactory()
    data = {**order_data, "office": office.pk, "email": "boss@example.com"}
    client.get(URL)  # the customer sees the form first (which caches the office list)

    # The hold (UPDATE … RETURNING), the order, each e-mail and its job: one transaction.
    with django_assert_max_num_queries(8) as captured:
        response = client.post(URL, data)

    assert response.status_code == 302
    assert Order.objects.get().office == office
    assert [q["sql"].split()[0] for q in captured.captured_queries] == [
        "BEGIN",
        "UPDATE",
        "INSERT",
        "INSERT",
        "INSERT",
        "INSERT",
        "INSERT",
        "COMMIT",
    ]
    assert mailoutbox == []  # the worker sends them, not the request
    run_jobs()
    assert [message.to for message in mailoutbox] == [["boss@example.com"], ["orders@example.com"]]


def test_orders_are_taken_even_when_the_cache_is_down(client, order_data, settings, tmp_path):
    location = tmp_path / "cache"
    broken = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(location),
    }
    settings.CACHES = {**settings.CACHES, "default": broken, "limits": broken}
    NumberFactory(number="4006328888")
    office = OfficeFactory()
    location.rmdir()
    location.write_text("")  # the cache's folder is now a file: every read and write fails

    assert client.get(URL).status_code == 200
    response = client.post(URL, {**order_data, "office": office.pk})

    assert response.status_code == 302
    assert Order.objects.get().office == office


def test_just_taken_keeps_the_typed_details_and_orders_an_alternative_in_one_tap(
    client, order_data
):
    OrderFactory(number__number="4006328888")
    NumberFactory(number="4001238888")

    taken = client.post(URL, {**order_data, "email": "boss@example.com", "message": "下午联系"})

    page = taken.content.decode()
    assert taken.status_code == 409
    assert 'action="/numbers/4001238888/order/"' in page
    assert 'value="boss@example.com"' in page and 'value="下午联系"' in page
    one_tap = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert one_tap["company"] == "广州示例贸易有限公司"

    ordered = client.post("/numbers/4001238888/order/", one_tap)

    assert ordered.status_code == 302
    order = Order.objects.get(number__number="4001238888")
    assert (order.company, order.email, order.message) == (
        "广州示例贸易有限公司",
        "boss@example.com",
        "下午联系",
    )
