"""Limits on unconfirmed holds: nobody reserves the catalogue away, an office still orders."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from numbers import services
from numbers.companies import company_key
from numbers.models import NumberStatus, Order, OrderStatus
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"


def order(client, digits, data, **changes):
    return client.post(f"/numbers/{digits}/order/", {**data, **changes})


def numbers(count, start=0):
    return [NumberFactory(number=f"40063{start + i:05d}").number for i in range(count)]


def test_an_office_with_three_people_orders_three_numbers_from_one_address(order_data):
    office = Client(REMOTE_ADDR=OFFICE)
    mobiles = ["13800138000", "13900139000", "13700137000"]

    statuses = [
        order(office, digits, order_data, mobile=mobile).status_code
        for digits, mobile in zip(numbers(3), mobiles, strict=True)
    ]

    assert statuses == [302, 302, 302]
    assert Order.objects.holding().count() == 3


def test_a_fourth_hold_on_one_mobile_is_refused_next_to_the_mobile_field(order_data):
    client = Client(REMOTE_ADDR=OFFICE)
    first, second, third, fourth = numbers(4)
    for digits in (first, second, third):
        assert order(client, digits, order_data).status_code == 302

    response = order(client, fourth, order_data)

    assert response.status_code == 429
    form = response.context["order_form"]
    assert form.errors["mobile"] == [
        "该手机号已有 3 个号码在等待我们确认。我们会尽快与您联系；如需更多号码，请致电我们。"
    ]
    assert "该手机号已有 3 个号码在等待我们确认" in response.content.decode()
    assert form.data["company"] == order_data["company"]  # what was typed comes back
    assert Order.objects.count() == 3
    assert NumberFactory._meta.model.objects.get(number=fourth).status == NumberStatus.AVAILABLE


def test_one_company_typed_differently_from_other_addresses_is_refused_at_its_limit(
    order_data, settings
):
    settings.HOLD_LIMIT_PER_COMPANY = 3
    spellings = ["广州示例贸易有限公司", "广州示例贸易 有限公司", "（广州）示例贸易有限公司！"]
    for i, (digits, company) in enumerate(zip(numbers(3), spellings, strict=True)):
        client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        response = order(client, digits, order_data, company=company, mobile=f"1390000000{i}")
        assert response.status_code == 302

    [digits] = numbers(1, start=10)
    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    response = order(
        elsewhere, digits, order_data, company="广州 示例 贸易 有限公司", mobile="13700137000"
    )

    assert response.status_code == 429
    errors = response.context["order_form"].errors
    assert list(errors) == ["company"]
    assert "3 个号码已为该公司预订" in errors["company"][0]
    assert Order.objects.count() == 3


def test_the_address_limit_is_shown_above_the_form(order_data, settings):
    settings.HOLD_LIMIT_PER_ADDRESS = 2
    client = Client(REMOTE_ADDR=OFFICE)
    first, second, third = numbers(3)
    for digits, i in ((first, 1), (second, 2)):
        order(client, digits, order_data, mobile=f"1390000000{i}", company=f"公司{i}")

    response = order(client, third, order_data, mobile="13900000003", company="公司3")

    assert response.status_code == 429
    assert "2 个号码已从您的网络预订" in response.context["order_form"].non_field_errors()[0]
    assert Order.objects.get(number__number=first).client_address == OFFICE


@pytest.mark.parametrize("how", ["cancelled", "expired", "lapsed", "released", "confirmed"])
def test_a_hold_that_ended_or_that_staff_confirmed_no_longer_counts(order_data, how, admin_user):
    client = Client(REMOTE_ADDR=OFFICE)
    first, second, third, fourth = numbers(4)
    for digits in (first, second, third):
        order(client, digits, order_data)
    ended = Order.objects.get(number__number=first)
    if how in ("expired", "lapsed"):
        ended.number.hold_expires_at = timezone.now() - timedelta(minutes=1)
        ended.number.save(update_fields=["hold_expires_at"])
        if how == "expired":
            services.holds_release_expired()
    elif how == "released":  # staff let the number go by hand; the order is still open
        services.number_transition(number=ended.number, to=NumberStatus.AVAILABLE)
    else:
        to = OrderStatus.CANCELLED if how == "cancelled" else OrderStatus.CONFIRMED
        services.order_transition(order=ended, to=to, actor=admin_user)

    assert order(client, fourth, order_data).status_code == 302
    assert Order.objects.holding().filter(mobile=order_data["mobile"]).count() == 3


def test_a_limit_of_zero_turns_that_limit_off(order_data, settings):
    settings.HOLD_LIMIT_PER_MOBILE = 0
    client = Client(REMOTE_ADDR=OFFICE)

    statuses = [order(client, digits, order_data).status_code for digits in numbers(5)]

    assert statuses == [302] * 5
    assert set(Order.objects.values_list("mobile_hold_slot", flat=True)) == {0}


def test_company_names_fold_width_case_spaces_and_punctuation():
    assert company_key("ＡＣＭＥ （ＧＺ） Ltd.") == company_key("acme-gz ltd") == "acmegzltd"
    assert company_key("广州示例贸易 有限公司。") == "广州示例贸易有限公司"
    assert company_key("广州示例贸易有限公司") != company_key("深圳示例贸易有限公司")


def test_an_unconfirmed_hold_is_short_by_default_and_confirming_lifts_its_expiry(
    order_data, admin_user
):
    client = Client(REMOTE_ADDR=OFFICE)
    [digits] = numbers(1)
    before = timezone.now()

    order(client, digits, order_data)

    placed = Order.objects.select_related("number").get()
    assert placed.number.hold_expires_at <= before + timedelta(hours=24, seconds=5)
    services.order_transition(order=placed, to=OrderStatus.CONFIRMED, actor=admin_user)
    placed.number.refresh_from_db()
    assert placed.number.status == NumberStatus.HELD
    assert placed.number.hold_expires_at is None  # staff look after it from now on
    assert placed.number.is_held


@pytest.mark.django_db(transaction=True)
def test_one_mobile_ordering_many_numbers_at_the_same_moment_gets_exactly_its_limit(
    order_data,
):
    digits = numbers(16)
    start = threading.Barrier(len(digits))
    statuses = [None] * len(digits)

    def customer(i):
        try:
            start.wait(timeout=30)
            client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
            statuses[i] = order(client, digits[i], order_data, company=f"公司{i}").status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=customer, args=(i,)) for i in range(len(digits))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302] * 3 + [429] * 13
    assert Order.objects.holding().count() == 3
    assert NumberFactory._meta.model.objects.filter(status=NumberStatus.HELD).count() == 3


def test_the_sweep_filter_lists_the_sweepers_orders_not_the_offices(
    client, admin_user, order_data, django_assert_max_num_queries
):
    office = Client(REMOTE_ADDR=OFFICE)
    colleagues = ["13800138000", "13900139000", "13700137000"]
    for digits, mobile in zip(numbers(3), colleagues, strict=True):
        order(office, digits, order_data, mobile=mobile)
    sweeper = Client(REMOTE_ADDR="192.0.2.66")
    for digits in numbers(4, start=10):
        order(sweeper, digits, order_data, mobile="13500135000", company="某某号码贸易")
    swept = set(Order.objects.filter(mobile="13500135000"))
    assert len(swept) == 3  # the fourth was refused
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        response = client.get("/admin/numbers/order/", {"sweep": "yes"})

    assert set(response.context["cl"].result_list) == swept
    assert "3 · 3 · 3" in response.content.decode()  # mobile · company · address
    everyone = client.get("/admin/numbers/order/").content.decode()
    assert everyone.count("1 · 3 · 3") == 3  # each colleague: one hold of the office's three

    picked = [order.pk for order in swept]
    client.post(
        "/admin/numbers/order/?sweep=yes",
        {"action": "cancel", "_selected_action": picked, "confirmed": "1", "reason": "扫号"},
    )

    assert set(Order.objects.filter(pk__in=picked).values_list("status", flat=True)) == {
        OrderStatus.CANCELLED
    }
    assert Order.objects.holding().count() == 3
    assert not Order.objects.possible_sweep().exists()


def test_a_company_name_that_grows_when_folded_still_fits(order_data):
    [digits] = numbers(1)

    response = order(Client(), digits, order_data, company="ﷺ" * 100)

    assert response.status_code == 302
    assert len(Order.objects.get().company_key) == 100


def test_staff_correcting_a_mobile_to_one_that_already_holds_numbers_is_saved(
    client, admin_user, order_data
):
    first, second = numbers(2)
    order(Client(REMOTE_ADDR=OFFICE), first, order_data)
    order(Client(REMOTE_ADDR="192.0.2.9"), second, order_data, mobile="13900139000")
    typo = Order.objects.get(mobile="13900139000")  # the same first place, another mobile
    client.force_login(admin_user)
    url = f"/admin/numbers/order/{typo.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"mobile": order_data["mobile"], "events-TOTAL_FORMS": "0"})
    data["events-INITIAL_FORMS"] = "0"

    response = client.post(url, data)

    assert response.status_code == 302
    typo.refresh_from_db()
    assert typo.mobile == order_data["mobile"]
    assert Order.objects.holding().filter(mobile=order_data["mobile"]).count() == 2
