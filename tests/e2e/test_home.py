"""The home page in a real browser, in both languages and at phone width."""

import pytest

from tests.factories import NumberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_hotline_in_chinese_and_english(page, live_server, settings):
    settings.SITE_HOTLINE = "4006675400"
    NumberFactory(number="4006328888", featured=True)

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("link", name="400-667-5400").first.is_visible()
    assert (
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="选号").is_visible()
    )

    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Choose a number").is_visible()
    assert page.get_by_text("400-632-8888").is_visible()


def test_home_page_at_phone_width_has_a_call_bar_and_no_sideways_scrolling(
    phone_page, live_server, settings
):
    settings.SITE_HOTLINE = "4006675400"

    phone_page.goto(live_server.url + "/")

    call_bar = phone_page.locator(".call-bar")
    assert call_bar.is_visible()
    assert call_bar.get_attribute("href") == "tel:4006675400"
    assert "400-667-5400" in call_bar.inner_text()
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390
