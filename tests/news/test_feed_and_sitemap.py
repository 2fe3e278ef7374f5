"""/news/feed/ is RSS 2.0 and /sitemap.xml a sitemap index, both parsed as XML here."""

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, NumberFactory, OfficeFactory
from tests.news.factories import parse_xml

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Sitemap entries are on SITE_URL; here it is the test client's own host.
    settings.SITE_URL = "http://testserver"


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_feed_is_rss_2_with_the_newest_published_articles(client):
    ArticleFactory(title="旧闻", slug="old", published_at=timezone.now() - timedelta(days=9))
    ArticleFactory(title="新闻", slug="new", summary="一句话摘要", pinned=False)

    response = client.get("/news/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = parse_xml(response.content)
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    channel = rss.find("channel")
    for required in ["title", "link", "description"]:
        assert channel.findtext(required)
    assert channel.findtext("link") == "http://testserver/news/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["新闻", "旧闻"]
    newest = items[0]
    assert newest.findtext("link") == "http://testserver/news/new/"
    assert newest.findtext("description") == "一句话摘要"
    assert newest.findtext("category") == "公司新闻"
    assert parsedate_to_datetime(newest.findtext("pubDate")) <= timezone.now()


def test_english_feed_links_to_english_pages(client):
    ArticleFactory(slug="new")

    rss = parse_xml(client.get("/en/news/feed/").content)

    assert rss.find("channel").findtext("language") == "en"
    assert rss.find("channel/item").findtext("link") == "http://testserver/en/news/new/"


def test_sitemap_index_lists_every_section_and_each_section_is_a_urlset(client):
    ArticleFactory(slug="visible-one")
    OfficeFactory(slug="guangzhou")
    NumberFactory(number="4006328888")

    index = parse_xml(client.get("/sitemap.xml").content)

    assert index.tag == f"{SM}sitemapindex"
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert sections
    locations = set()
    for section in sections:
        response = client.get(section.replace("http://testserver", ""))
        assert response.status_code == 200
        urlset = parse_xml(response.content)
        assert urlset.tag == f"{SM}urlset"
        for url in urlset.findall(f"{SM}url"):
            locations.add(url.findtext(f"{SM}loc"))
    expected = {
        "http://testserver/",
        "http://testserver/en/",
        "http://testserver/offices/",
        "http://testserver/offices/guangzhou/",
        "http://testserver/en/offices/guangzhou/",
        "http://testserver/news/",
        "http://testserver/news/visible-one/",
        "http://testserver/en/news/visible-one/",
        "http://testserver/numbers/4006328888/",
        "http://testserver/contact/",
    }
    assert expected <= locations


def test_sitemap_leaves_out_numbers_that_are_not_listed_and_hidden_offices(client):
    NumberFactory(number="4006320001", status="active")
    OfficeFactory(slug="closed", is_active=False)

    body = b"".join(
        client.get(f"/sitemap-{section}.xml").content for section in ["numbers", "offices"]
    ).decode()

    assert "4006320001" not in body
    assert "/offices/closed/" not in body


def test_article_entries_carry_language_alternates(client):
    ArticleFactory(slug="visible-one")

    urlset = parse_xml(client.get("/sitemap-news.xml").content)

    url = urlset.find(f"{SM}url")
    alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    assert alternates["en"] == "http://testserver/en/news/visible-one/"
    assert alternates["zh-hans"] == "http://testserver/news/visible-one/"
    assert url.findtext(f"{SM}lastmod")


def test_news_pages_advertise_the_feed(client):
    body = client.get("/news/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in body
    assert 'href="/news/feed/"' in body


def test_number_sitemap_links_the_default_language_whatever_the_crawler_accepts(client):
    NumberFactory(number="4006328888")

    body = client.get("/sitemap-numbers.xml", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<loc>http://testserver/numbers/4006328888/</loc>" in body
    assert "/en/numbers/" not in body
