"""What search engines read in a page's head: canonical, hreflang alternates, robots,
title and description; and the sitemap that lists the same canonical URLs."""

import re
from html import unescape
from xml.etree import ElementTree

import pytest

from numbers.models import NumberStatus
from tests.factories import NumberFactory, OfficeFactory

pytestmark = pytest.mark.django_db

SITE = "https://www.example.com"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def head_links(body: str) -> dict:
    """canonical, {hreflang: href}, robots and the language switch's hrefs of a page."""
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', body)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]*)" href="([^"]*)">', body))
    robots = re.findall(r'<meta name="robots" content="([^"]*)">', body)
    switch = re.findall(r'<a href="([^"]*)" lang="[^"]*" hreflang=', body)
    return {
        "canonical": [unescape(url) for url in canonical],
        "alternates": {code: unescape(url) for code, url in alternates.items()},
        "robots": robots,
        "switch": [unescape(url) for url in switch],
    }


def links_of(client, path):
    response = client.get(path)
    return response, head_links(response.content.decode())


def test_every_page_has_an_absolute_canonical_and_alternates_with_x_default(client):
    OfficeFactory(slug="guangzhou")

    _, chinese = links_of(client, "/offices/guangzhou/")
    _, english = links_of(client, "/en/offices/guangzhou/")

    alternates = {
        "zh-Hans": f"{SITE}/offices/guangzhou/",
        "en": f"{SITE}/en/offices/guangzhou/",
        "x-default": f"{SITE}/offices/guangzhou/",
    }
    assert chinese["canonical"] == [f"{SITE}/offices/guangzhou/"]
    assert english["canonical"] == [f"{SITE}/en/offices/guangzhou/"]
    assert chinese["alternates"] == english["alternates"] == alternates
    assert chinese["robots"] == english["robots"] == []


def test_links_come_from_site_url_not_from_the_host_the_client_sent(client, settings):
    settings.ALLOWED_HOSTS = ["*"]

    _, links = links_of(client, "/contact/?utm_source=x")

    assert client.get("/contact/", HTTP_HOST="attacker.example").status_code == 200
    assert links["canonical"] == [f"{SITE}/contact/"]
    assert all(url.startswith(SITE) for url in links["alternates"].values())


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "//evil.example/x",
        "/\\evil.example",
        "/en//evil.example/x",
        "/en/\\evil.example",
        "/numbers//evil.example/x",
    ],
)
def test_an_unmatched_path_is_never_echoed_into_links(client, path):
    # PATH_INFO as gunicorn passes it: the test client would read "//evil.example" as a host.
    response = client.get("/", PATH_INFO=path)
    links = head_links(response.content.decode())

    assert response.status_code == 404
    assert "evil.example" not in response.content.decode()
    assert links["canonical"] == []
    assert links["alternates"] == {}
    assert links["robots"] == ["noindex"]
    assert links["switch"] == ["/", "/en/"]


def test_language_switch_keeps_the_search_re_encoded(client):
    _, links = links_of(client, "/numbers/?q=88&pattern=a4&pattern=aabb")

    assert links["switch"] == [
        "/numbers/?q=88&pattern=a4&pattern=aabb",
        "/en/numbers/?q=88&pattern=a4&pattern=aabb",
    ]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("", "/numbers/"),
        ("?sort=-price", "/numbers/"),
        ("?pattern=a4", "/numbers/?pattern=a4"),
        ("?pattern=a4&sort=price", "/numbers/?pattern=a4"),
        ("?operator=mobile", "/numbers/?operator=mobile"),
    ],
)
def test_catalogue_landing_pages_are_indexable_under_their_own_canonical(client, query, canonical):
    NumberFactory(number="4006328888")

    response, links = links_of(client, f"/numbers/{query}")

    assert response.status_code == 200
    assert links["canonical"] == [SITE + canonical]
    assert links["alternates"]["en"] == SITE + "/en" + canonical
    assert links["robots"] == []


def test_a_later_page_of_a_landing_page_keeps_its_page_number(client):
    for index in range(30):
        NumberFactory(number=f"40063{index:02d}888")

    _, links = links_of(client, "/numbers/?pattern=a3&page=2")

    assert links["canonical"] == [f"{SITE}/numbers/?pattern=a3&page=2"]
    assert links["robots"] == []


@pytest.mark.parametrize(
    "query",
    [
        "?q=88",
        "?pattern=a4&pattern=aabb",
        "?pattern=a4&operator=unicom",
        "?operator=unicom&operator=mobile",
        "?exclude=4",
        "?price_min=100&price_max=20000",
        "?pattern=nonsense",
        "?page=99",
    ],
)
def test_other_filter_mixes_are_noindex_follow_with_the_catalogue_as_canonical(client, query):
    NumberFactory(number="4006328888")

    _, links = links_of(client, f"/numbers/{query}")

    assert links["robots"] == ["noindex, follow"]
    assert links["canonical"] == [f"{SITE}/numbers/"]


def test_error_and_rate_limit_pages_are_not_indexed(client, settings):
    settings.RATE_LIMIT_ORDER_LOOKUPS = "1/h"
    form = {"reference": "ZC7K3F9Q", "mobile": "13800138000"}
    client.post("/orders/", form)

    _, links = links_of(client, "/no-such-page/")
    limited = client.post("/orders/", form)

    assert links["robots"] == ["noindex"]
    assert limited.status_code == 429
    assert head_links(limited.content.decode())["robots"] == ["noindex"]


def test_number_page_title_and_description_name_number_classes_price_and_operator(client):
    NumberFactory(number="4006328888", price=25000)

    chinese = client.get("/numbers/4006328888/").content.decode()
    english = client.get("/en/numbers/4006328888/").content.decode()

    title = re.search(r"<title>(.*?)</title>", english).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', english).group(1)
    assert "400-632-8888" in title
    assert "Four of a kind" in title
    assert "China Unicom" in title
    for words in ["400-632-8888", "China Unicom", "Four of a kind", "Triple ending", "25,000"]:
        assert words in description
    chinese_description = re.search(r'<meta name="description" content="([^"]*)">', chinese)
    assert "四连号" in chinese_description.group(1)
    assert "联通" in chinese_description.group(1)


def test_catalogue_landing_page_is_titled_by_its_filter(client):
    NumberFactory(number="4006328888")

    english = client.get("/en/numbers/?pattern=a4").content.decode()
    chinese = client.get("/numbers/?operator=unicom").content.decode()

    assert "<title>Four of a kind 400 numbers ·" in english
    assert "<title>联通" in chinese or "<title>中国联通" in chinese


def sitemap_urls(client, section):
    urlset = ElementTree.fromstring(client.get(f"/sitemap-{section}.xml").content)  # noqa: S314 - our own sitemap
    return {
        url.find(f"{SM}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in urlset.findall(f"{SM}url")
    }


def test_sitemap_lists_the_pages_canonical_urls_with_their_alternates(client):
    NumberFactory(number="4006328888")
    OfficeFactory(slug="guangzhou")

    for section in ["pages", "catalogue", "offices"]:
        for location, alternates in sitemap_urls(client, section).items():
            assert location.startswith(SITE)
            _, links = links_of(client, location.removeprefix(SITE))
            assert links["canonical"] == [location], location
            assert links["robots"] == [], location
            assert alternates["x-default"] == links["alternates"]["x-default"]


def test_sitemap_lists_every_single_class_and_single_operator_page(client):
    locations = sitemap_urls(client, "catalogue")

    assert f"{SITE}/numbers/?pattern=a4" in locations
    assert f"{SITE}/en/numbers/?operator=telecom" in locations
    assert len(locations) == 2 * (14 + 3)


def test_number_sitemap_and_robots_txt_use_site_url(client):
    NumberFactory(number="4006328888")
    NumberFactory(number="4006320000", status=NumberStatus.ACTIVE)

    assert set(sitemap_urls(client, "numbers")) == {f"{SITE}/numbers/4006328888/"}
    assert f"Sitemap: {SITE}/sitemap.xml" in client.get("/robots.txt").content.decode()
