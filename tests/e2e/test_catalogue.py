"""In Chromium: search by a class, shortlist two numbers, compare them, open a number page."""

import pytest
from playwright.sync_api import expect

from tests.factories import NumberFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def numbers():
    plan = PlanFactory()
    for digits, price in [
        ("4006328888", 25000),
        ("4007776666", 18000),
        ("4006135702", 600),
        ("4009126688", 9000),
    ]:
        NumberFactory(number=digits, price=price, plan=plan)


def test_search_by_class_shortlist_two_compare_and_open_a_number(live_server, page, numbers):
    page.goto(f"{live_server.url}/numbers/")
    page.get_by_text("更多筛选").click()
    page.get_by_label("四连号").check()
    page.get_by_role("button", name="搜索号码").click()

    assert "pattern=a4" in page.url
    cards = page.locator(".number-card")
    assert cards.count() == 2
    assert page.locator(".number-card mark").first.inner_text() == "8888"

    box = page.locator(".shortlist-box")
    cards.filter(has_text="400-632-8888").get_by_role("button", name="加入备选单").click()
    # With JavaScript the shortlist changes in place: wait for it as a person would.
    expect(box.get_by_role("link", name="400-632-8888")).to_be_visible()
    page.locator(".number-card").filter(has_text="400-777-6666").get_by_role(
        "button", name="加入备选单"
    ).click()
    expect(box.get_by_role("link", name="400-777-6666", exact=True)).to_be_visible()
    assert "pattern=a4" in page.url  # back on the same search
    expect(box.get_by_role("link", name="400-632-8888")).to_be_visible()

    box.get_by_role("link", name="对比").click()
    table = page.locator("table.compare")
    assert table.locator("thead th").all_inner_texts() == ["400-632-8888", "400-777-6666"]
    assert "¥25,000/年" in table.inner_text() and "¥18,000/年" in table.inner_text()
    assert "中国联通" in table.inner_text() and "中国移动" in table.inner_text()

    table.get_by_role("link", name="400-777-6666", exact=True).click()
    assert page.url.endswith("/numbers/4007776666/")
    assert page.locator("h1").inner_text() == "400-777-6666"
    assert page.locator("#order").get_by_role("button", name="订购此号码").is_visible()


def test_calculator_works_without_javascript(live_server, browser, numbers):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/numbers/4006328888/")
    page.get_by_label("每月通话分钟数").fill("20000")
    page.get_by_role("button", name="计算我的费用").click()

    assert "minutes=20000" in page.url
    assert "按每月 20,000 分钟计算" in page.locator(".calculator__result").inner_text()
    context.close()
