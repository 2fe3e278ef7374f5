"""Ordering a number in a real browser: find it, order it, follow it, see it reserved."""

import re

import pytest
from django.core.cache import cache

from numbers.models import NumberStatus, Order
from tests.factories import NumberFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _catalogue():
    cache.clear()  # rate-limit counters and the office list
    NumberFactory(number="4006328888", featured=True)
    NumberFactory(number="4001238888")
    OfficeFactory(name="广州400电话办理中心")
    yield
    cache.clear()


def order_on(page, live_server):
    page.goto(live_server.url + "/numbers/")
    page.get_by_role("link", name="400-632-8888").click()
    page.wait_for_url(live_server.url + "/numbers/4006328888/")

    page.get_by_label("联系人").fill("王经理")
    page.get_by_label("公司名称").fill("广州示例贸易有限公司")
    page.get_by_label(re.compile(r"^手机号")).fill("１３８ ００１３ ８０００")
    page.get_by_label("就近办理中心").select_option(label="广州400电话办理中心")
    page.get_by_label(re.compile("我已阅读并同意400号码使用规定")).check()
    page.get_by_role("button", name="订购此号码").click()
    page.wait_for_url(re.compile(r"/orders/[A-Z0-9]{8}/$"))  # the key stays out of the URL
    return Order.objects.get()


def test_find_order_follow_and_see_the_number_reserved(page, live_server, browser):
    order = order_on(page, live_server)

    # The confirmation: thanks, the reference, the number reserved for the customer.
    assert page.get_by_text(f"谢谢！我们已收到您的订单 {order.reference}。").is_visible()
    assert page.get_by_role("heading", name=f"订单 {order.reference}").is_visible()
    assert page.get_by_text("已为您预订").is_visible()
    assert order.mobile == "13800138000"
    order.number.refresh_from_db()
    assert order.number.status == NumberStatus.HELD

    # Later, on another device: the reference and the mobile open the order page.
    other = browser.new_context(locale="zh-CN").new_page()
    other.goto(live_server.url + "/orders/")
    other.get_by_label("订单号").fill(order.reference.lower())
    other.get_by_label("下单时填写的手机号").fill("13800138000")
    other.get_by_role("button", name="查看我的订单").click()
    other.wait_for_url(re.compile(rf"/orders/{order.reference}/$"))
    assert other.get_by_role("heading", name="办理进度").is_visible()
    assert other.locator("[aria-current=step]").inner_text().startswith("已提交")
    other.context.close()

    # The catalogue shows the number reserved, and its page offers no order form.
    page.goto(live_server.url + "/numbers/")
    card = page.locator("article", has=page.get_by_role("link", name="400-632-8888"))
    assert card.get_by_text("已预订").is_visible()
    page.goto(live_server.url + "/numbers/4006328888/")
    assert page.get_by_role("heading", name="此号码已被预订").is_visible()
    assert page.get_by_role("button", name="订购此号码").count() == 0


def test_the_second_customer_is_told_the_number_was_just_taken(page, live_server, browser):
    # Both open the form; the first one orders.
    second = browser.new_context(locale="zh-CN").new_page()
    second.goto(live_server.url + "/numbers/4006328888/order/")
    order_on(page, live_server)

    second.get_by_label("联系人").fill("李总")
    second.get_by_label("公司名称").fill("深圳示例科技有限公司")
    second.get_by_label(re.compile(r"^手机号")).fill("13912345678")
    second.get_by_label(re.compile("我已阅读并同意400号码使用规定")).check()
    second.get_by_role("button", name="订购此号码").click()

    assert second.get_by_role("heading", name="该号码刚刚被预订").is_visible()
    assert second.get_by_role("link", name="400-123-8888").is_visible()  # a similar number
    assert Order.objects.count() == 1
    second.context.close()


def test_a_bad_mobile_on_a_phone_is_explained_next_to_the_field(phone_page, live_server):
    phone_page.goto(live_server.url + "/numbers/4006328888/order/")
    phone_page.get_by_label("联系人").fill("王经理")
    phone_page.get_by_label("公司名称").fill("广州示例贸易有限公司")
    phone_page.get_by_label(re.compile(r"^手机号")).fill("020-87654321")
    phone_page.get_by_label(re.compile("我已阅读并同意400号码使用规定")).check()
    phone_page.get_by_role("button", name="订购此号码").click()

    mobile = phone_page.get_by_label(re.compile(r"^手机号"))
    assert mobile.get_attribute("aria-invalid") == "true"
    assert phone_page.get_by_text("请输入中国大陆手机号").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Order.objects.exists()
