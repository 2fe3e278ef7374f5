"""Drafts and scheduled articles stay hidden from visitors everywhere; staff can preview them."""

import pytest

from accounts.roles import EDITORS
from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.news.factories import AttachmentFactory, draft, parse_xml, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Sitemap entries are on SITE_URL; here it is the test client's own host.
    settings.SITE_URL = "http://testserver"


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def hidden_articles():
    return [
        draft(title="草稿文章", slug="the-draft"),
        scheduled(title="定时文章", slug="the-future"),
    ]


def all_sitemap_locations(client) -> set[str]:
    index = parse_xml(client.get("/sitemap.xml").content)
    locations = set()
    for section in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        path = section.text.replace("http://testserver", "")
        urlset = parse_xml(client.get(path).content)
        locations |= {loc.text for loc in urlset.findall("sm:url/sm:loc", SITEMAP_NS)}
    return locations


def test_news_list_shows_published_articles_only(client, hidden_articles):
    ArticleFactory(title="已发布文章")

    body = client.get("/news/").content.decode()

    assert "已发布文章" in body
    assert "草稿文章" not in body
    assert "定时文章" not in body


def test_category_page_shows_published_articles_only(client, hidden_articles):
    ArticleFactory(title="已发布文章")

    body = client.get("/news/category/company/").content.decode()

    assert "已发布文章" in body
    assert "草稿文章" not in body
    assert "定时文章" not in body


@pytest.mark.parametrize("slug", ["the-draft", "the-future"])
def test_hidden_article_page_is_404_for_visitors_and_counts_no_view(client, hidden_articles, slug):
    assert client.get(f"/news/{slug}/").status_code == 404
    assert client.get(f"/en/news/{slug}/").status_code == 404
    assert Article.objects.get(slug=slug).view_count == 0


def test_hidden_articles_stay_out_of_the_feed(client, hidden_articles):
    ArticleFactory(title="已发布文章")

    body = client.get("/news/feed/").content.decode()

    assert "已发布文章" in body
    assert "草稿文章" not in body
    assert "定时文章" not in body


def test_hidden_articles_stay_out_of_the_sitemap(client, hidden_articles):
    ArticleFactory(slug="visible-one")

    locations = all_sitemap_locations(client)

    assert "http://testserver/news/visible-one/" in locations
    assert not any("the-draft" in loc or "the-future" in loc for loc in locations)


def test_hidden_articles_stay_off_the_home_page(client, hidden_articles):
    ArticleFactory(title="已发布文章")

    body = client.get("/").content.decode()

    assert "已发布文章" in body
    assert "草稿文章" not in body
    assert "定时文章" not in body


def test_previous_next_and_related_never_point_to_hidden_articles(client, hidden_articles):
    category = CategoryFactory()
    ArticleFactory(slug="visible-one", category=category)
    draft(slug="draft-in-category", category=category, title="同类草稿")

    body = client.get("/news/visible-one/").content.decode()

    assert "the-draft" not in body
    assert "the-future" not in body
    assert "同类草稿" not in body


def test_scheduled_article_appears_once_its_time_has_come(client):
    article = scheduled(slug="soon")
    assert client.get("/news/soon/").status_code == 404

    Article.objects.filter(pk=article.pk).update(published_at=article.created_at)

    assert client.get("/news/soon/").status_code == 200


def test_attachment_of_a_hidden_article_is_404_for_visitors(client):
    attachment = AttachmentFactory(article=draft(slug="the-draft"))

    response = client.get(f"/news/the-draft/attachments/{attachment.pk}/")

    assert response.status_code == 404


def test_editor_previews_a_draft_with_a_notice_and_without_counting_a_view(client, make_user):
    article = draft(title="草稿文章")
    client.force_login(make_user("ed", groups=[EDITORS], is_staff=True))

    response = client.get(f"/news/preview/{article.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "草稿文章" in body
    assert 'role="status"' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    article.refresh_from_db()
    assert article.view_count == 0


def test_editor_previews_a_scheduled_article_and_downloads_its_attachment(client, make_user):
    article = scheduled(slug="the-future")
    attachment = AttachmentFactory(article=article)
    client.force_login(make_user("ed", groups=[EDITORS], is_staff=True))

    assert client.get(f"/news/preview/{article.pk}/").status_code == 200
    response = client.get(f"/news/the-future/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_preview_asks_anonymous_visitors_to_log_in(client):
    article = draft()

    response = client.get(f"/news/preview/{article.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_preview_is_refused_to_staff_without_the_preview_permission(client, make_user):
    article = draft()
    client.force_login(make_user("clerk", is_staff=True))

    assert client.get(f"/news/preview/{article.pk}/").status_code == 403
