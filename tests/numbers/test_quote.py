"""The quotation (报价单) at /numbers/<digits>/quote/: what it states, in both languages."""

import re

import pytest
from django.utils import timezone

from numbers.models import NumberStatus
from tests.factories import NumberFactory, OfficeFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def number():
    plan = PlanFactory(
        name="标准套餐",
        name_en="Standard",
        annual_fee=25000,
        included_minutes=13888,
        per_minute_fen=15,
        perks="送彩铃",
        perks_en="Free ringback tone",
    )
    OfficeFactory(
        is_headquarters=True, address="广州白云区螺涌北路3街", address_en="3rd St, Guangzhou"
    )
    return NumberFactory(number="4006328888", price=25000, plan=plan)


def test_the_quotation_states_number_plan_fees_validity_seller_and_rules(client, number, settings):
    settings.QUOTE_VALID_DAYS = 7
    settings.SITE_HOTLINE = "4001234567"

    response = client.get("/numbers/4006328888/quote/?company=广州示例贸易有限公司")

    page = response.content.decode()
    today = timezone.localdate()
    assert response.status_code == 200
    for text in [
        "400-632-8888",
        "中国联通",
        "标准套餐",
        "¥25,000/年",  # price and annual fee
        "¥2,083.33",  # monthly minimum
        "13,888",
        "¥0.15",
        "送彩铃",
        "广州示例贸易有限公司",
        f"BJ{today:%Y%m%d}-6328888",
        today.strftime("%Y-%m-%d"),
        (today + timezone.timedelta(days=7)).strftime("%Y-%m-%d"),
        settings.SITE_LEGAL_NAME,
        "广州白云区螺涌北路3街",
        "400-123-4567",
        settings.BANK_TRANSFER_NOTE,
        "只能接听来电",
    ]:
        assert text in page, text


def test_the_english_quotation_uses_the_english_plan_and_address(client, number):
    page = client.get("/en/numbers/4006328888/quote/").content.decode()

    assert "Quotation" in page
    assert "Standard" in page and "标准套餐" not in page
    assert "Free ringback tone" in page
    assert "3rd St, Guangzhou" in page
    assert "¥25,000/year" in page


def test_the_company_is_optional_trimmed_and_escaped(client, number):
    page = client.get("/numbers/4006328888/quote/?company=<b>ACME</b>%20%20Ltd" + "x" * 200)

    assert page.status_code == 200
    text = page.content.decode()
    assert "<b>ACME" not in text
    assert "&lt;b&gt;ACME&lt;/b&gt; Ltd" in text


def test_the_quotation_carries_a_qr_code_of_its_own_address(client, number):
    page = client.get("/numbers/4006328888/quote/?company=ACME").content.decode()

    assert re.search(r'<svg role="img" aria-label="[^"]+"[^>]*class="qr-code"', page)


def test_unlisted_numbers_have_no_quotation(client):
    NumberFactory(number="4006328888", status=NumberStatus.ACTIVE)

    assert client.get("/numbers/4006328888/quote/").status_code == 404


def test_the_number_page_links_its_quotation_and_shows_its_qr_code(client, number):
    page = client.get("/numbers/4006328888/").content.decode()

    assert 'href="/numbers/4006328888/quote/"' in page
    assert 'class="qr-code"' in page
