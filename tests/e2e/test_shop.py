"""In Chromium: a one-page A4 quotation, QR codes that decode, ticking countdowns, place kept."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from tests.factories import NumberFactory, OfficeFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def numbers():
    plan = PlanFactory()
    OfficeFactory(is_headquarters=True)
    for index in range(30):
        NumberFactory(number=f"40063288{index:02d}", price=25000, plan=plan)
    NumberFactory(
        number="4006518888",
        plan=plan,
        status="held",
        hold_expires_at=timezone.now() + timedelta(hours=2),
    )


def decode(png: bytes) -> str:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text


def test_the_quotation_prints_on_exactly_one_a4_page_and_its_qr_code_decodes(
    live_server, page, numbers
):
    url = f"{live_server.url}/numbers/4006328800/quote/?company=ACME"
    page.goto(url)

    assert decode(page.locator(".quote__qr svg").screenshot()) == url
    pdf = page.pdf(format="A4", print_background=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_the_number_pages_qr_code_decodes_to_its_own_address(live_server, page, numbers):
    page.goto(f"{live_server.url}/numbers/4006328800/")

    assert decode(page.locator(".share-qr svg").screenshot()) == (
        f"{live_server.url}/numbers/4006328800/"
    )


def test_a_held_numbers_countdown_ticks(live_server, page, numbers):
    page.goto(f"{live_server.url}/numbers/4006518888/")
    countdown = page.locator(".number-page .countdown").first
    first = countdown.inner_text()

    page.wait_for_function(
        "text => document.querySelector('.number-page .countdown').textContent !== text", arg=first
    )
    assert ":" in countdown.inner_text()


def test_adding_to_the_shortlist_keeps_the_scroll_position_with_and_without_javascript(
    live_server, browser, phone_page, numbers
):
    without_js = browser.new_context(
        java_script_enabled=False, locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    for page in (phone_page, without_js):
        page.goto(f"{live_server.url}/numbers/?sort=number")
        card = page.locator("#number-4006328820")
        card.scroll_into_view_if_needed()
        before = page.evaluate("window.scrollY")
        assert before > 500
        card.get_by_role("button", name="加入备选单").click()
        page.locator("#number-4006328820").get_by_role("button", name="移出备选单").wait_for()
        after = page.evaluate("window.scrollY")
        assert abs(after - before) < 400, (before, after)
    without_js.context.close()
