"""JSON-LD on the pages: valid against the schema.org vocabulary (tests/reseller/schema_org.py)
and saying what the page says."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from numbers.models import NumberStatus
from tests.factories import ArticleFactory, NumberFactory, OfficeFactory
from tests.reseller.schema_org import of_type, valid_blocks

pytestmark = pytest.mark.django_db

SITE = "https://www.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.SITE_HOTLINE = "4006675400"


def body_of(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_describes_the_organization_with_its_hotline(client):
    for path in ["/", "/contact/", "/en/news/", "/no-such-page/"]:
        body = client.get(path).content.decode()
        valid_blocks(body)
        (organization,) = of_type(body, "Organization")
        assert organization["telephone"] == "+86-400-667-5400"
        assert organization["contactPoint"]["telephone"] == "+86-400-667-5400"
        assert organization["url"] in (f"{SITE}/", f"{SITE}/en/")


def test_number_page_is_a_product_with_an_offer_in_yuan(client):
    NumberFactory(number="4006328888", price=25000)

    body = body_of(client, "/numbers/4006328888/")

    valid_blocks(body)
    (product,) = of_type(body, "Product")
    assert product["name"] == "400-632-8888"
    assert product["sku"] == "4006328888"
    assert product["url"] == f"{SITE}/numbers/4006328888/"
    assert product["brand"]["name"] == "中国联通"
    assert {prop["value"] for prop in product["additionalProperty"]} == {"四连号", "尾号三连"}
    offer = product["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("25000", "CNY")
    assert offer["priceSpecification"]["unitCode"] == "ANN"  # a price per year
    assert offer["availability"] == "https://schema.org/InStock"
    assert "¥25,000" in body  # the price the visitor reads
    image = client.get(product["image"].removeprefix(SITE))
    assert image["Content-Type"] == "image/png"


def test_a_held_number_is_offered_as_reserved_and_a_lapsed_hold_as_in_stock(client):
    now = timezone.now()
    NumberFactory(
        number="4006328888", status=NumberStatus.HELD, hold_expires_at=now + timedelta(hours=2)
    )
    NumberFactory(
        number="4006326666", status=NumberStatus.HELD, hold_expires_at=now - timedelta(hours=1)
    )

    held = of_type(body_of(client, "/numbers/4006328888/"), "Product")[0]
    lapsed = of_type(body_of(client, "/numbers/4006326666/"), "Product")[0]

    assert held["offers"]["availability"] == "https://schema.org/Reserved"
    assert lapsed["offers"]["availability"] == "https://schema.org/InStock"


def test_catalogue_lists_the_numbers_it_shows_in_order(client):
    for index in range(30):
        NumberFactory(number=f"40063{index:02d}888")

    first = body_of(client, "/numbers/?sort=number")
    second = body_of(client, "/numbers/?sort=number&page=2")

    for body, start in [(first, 1), (second, 25)]:
        valid_blocks(body)
        (item_list,) = of_type(body, "ItemList")
        items = item_list["itemListElement"]
        shown = re.findall(r'class="number-card__digits"><a href="([^"]*)"', body)
        assert [item["url"] for item in items] == [SITE + path for path in shown]
        assert [item["position"] for item in items] == list(range(start, start + len(shown)))
        assert item_list["numberOfItems"] == len(shown)
    assert len(of_type(second, "ItemList")[0]["itemListElement"]) == 6


def test_each_office_is_a_local_business_with_address_and_telephone(client):
    OfficeFactory(slug="guangzhou", name="广州办理中心", city="广州", province="广东",
                  address="广州市白云区螺涌北路3街", phone="020-12345678")  # fmt: skip
    OfficeFactory(slug="shenzhen", name="深圳办理中心", city="深圳", phone="")
    OfficeFactory(slug="closed", is_active=False)

    listing = body_of(client, "/offices/")
    page = body_of(client, "/offices/guangzhou/")

    valid_blocks(listing)
    valid_blocks(page)
    assert {office["name"] for office in of_type(listing, "LocalBusiness")} == {
        "广州办理中心",
        "深圳办理中心",
    }
    (guangzhou,) = of_type(page, "LocalBusiness")
    assert guangzhou["telephone"] == "020-12345678"
    assert guangzhou["address"]["streetAddress"] == "广州市白云区螺涌北路3街"
    assert guangzhou["address"]["addressLocality"] == "广州"
    assert guangzhou["address"]["addressRegion"] == "广东"
    assert guangzhou["url"] == f"{SITE}/offices/guangzhou/"
    shenzhen = next(o for o in of_type(listing, "LocalBusiness") if o["name"] == "深圳办理中心")
    assert shenzhen["telephone"] == "+86-400-667-5400"  # no phone of its own: the hotline


def test_article_is_a_news_article_with_its_dates_and_publisher(client):
    published = timezone.now() - timedelta(days=2)
    ArticleFactory(slug="notice", title="关于实名制核查的通知", published_at=published)

    body = body_of(client, "/news/notice/")

    valid_blocks(body)
    (article,) = of_type(body, "NewsArticle")
    assert article["headline"] == "关于实名制核查的通知"
    assert article["datePublished"] == published.isoformat()
    assert article["url"] == article["mainEntityOfPage"] == f"{SITE}/news/notice/"
    assert article["publisher"]["@id"] == f"{SITE}/#organization"
    assert article["image"] == [f"{SITE}/share-card.png"]


def test_a_title_cannot_close_the_data_block(client):
    ArticleFactory(slug="tricky", title="</script><script>alert(1)</script> & more")

    body = body_of(client, "/news/tricky/")

    (article,) = of_type(body, "NewsArticle")
    assert article["headline"] == "</script><script>alert(1)</script> & more"
    assert "<script>alert(1)" not in body
