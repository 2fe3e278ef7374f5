"""The news pages as a visitor sees them: list, categories, article, attachments, views."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.news.factories import PDF_BYTES, AttachmentFactory, png_bytes, upload

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_news_list_puts_pinned_first_then_newest(client):
    ArticleFactory(title="较旧", published_at=days_ago(3))
    ArticleFactory(title="最新", published_at=days_ago(1))
    ArticleFactory(title="置顶旧闻", published_at=days_ago(30), pinned=True)

    titles = [a.title for a in client.get("/news/").context["articles"]]

    assert titles == ["置顶旧闻", "最新", "较旧"]


def test_news_list_is_paginated_ten_to_a_page(client):
    for day in range(12):
        ArticleFactory(published_at=days_ago(day))

    first = client.get("/news/")
    second = client.get("/news/?page=2")

    assert len(first.context["articles"]) == 10
    assert len(second.context["articles"]) == 2
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert client.get("/news/?page=9").status_code == 404
    assert client.get("/news/?page=abc").status_code == 404


def test_category_tabs_mark_the_current_category(client):
    notices = CategoryFactory(slug="notices", name="通知公告")
    CategoryFactory(slug="company", name="公司新闻")
    ArticleFactory(title="一则通知", category=notices)
    ArticleFactory(title="一则公司新闻")

    response = client.get("/news/category/notices/")

    body = response.content.decode()
    assert 'href="/news/category/notices/" aria-current="page">通知公告' in body
    assert 'href="/news/category/company/">公司新闻' in body
    assert "一则通知" in body
    assert "一则公司新闻" not in body


def test_unknown_category_is_404(client):
    assert client.get("/news/category/nope/").status_code == 404


def test_article_page_shows_breadcrumb_views_date_and_source(client):
    category = CategoryFactory(slug="company", name="公司新闻")
    ArticleFactory(
        slug="notice",
        category=category,
        title="实名制核查通知",
        published_at=timezone.datetime(2016, 3, 6, 9, tzinfo=timezone.get_current_timezone()),
    )
    Article.objects.filter(slug="notice").update(view_count=1486)

    body = client.get("/news/notice/").content.decode()

    assert "您的位置" in body
    assert '<a href="/">首页</a>' in body
    assert '<a href="/news/">新闻资讯</a>' in body
    assert '<a href="/news/category/company/">公司新闻</a>' in body
    assert "浏览: 1487" in body
    assert "2016.03.06" in body
    assert "原创文章" in body


def test_reprint_names_its_source(client):
    ArticleFactory(slug="reprint", source=Article.Source.REPRINT, source_note="人民邮电报")

    assert "人民邮电报" in client.get("/news/reprint/").content.decode()


def test_article_page_links_previous_next_and_related_articles(client):
    category = CategoryFactory()
    older = ArticleFactory(title="更早的一篇", slug="older", published_at=days_ago(3))
    ArticleFactory(slug="middle", published_at=days_ago(2))
    newer = ArticleFactory(title="更新的一篇", slug="newer", published_at=days_ago(1))
    other = CategoryFactory(slug="industry", name="行业资讯")
    ArticleFactory(title="别的分类", slug="elsewhere", category=other, published_at=days_ago(5))

    response = client.get("/news/middle/")

    assert response.context["older"] == older
    assert response.context["newer"] == newer
    assert list(response.context["related"]) == [newer, older]
    body = response.content.decode()
    assert 'href="/news/older/" rel="prev"' in body
    assert 'href="/news/newer/" rel="next"' in body
    assert category.name in body


def test_article_page_lists_attachments_with_type_and_size(client):
    article = ArticleFactory(slug="with-file")
    AttachmentFactory(article=article, title="补充协议模板", size=245_760, type_label="Word")

    body = client.get("/news/with-file/").content.decode()

    assert "补充协议模板" in body
    assert "Word · 240.0\xa0KB" in body


def test_visitor_downloads_an_attachment_with_its_name_and_type(client):
    attachment = AttachmentFactory(article=ArticleFactory(slug="with-file"))

    response = client.get(f"/news/with-file/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "agreement" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_attachment_url_with_another_articles_slug_is_404(client):
    attachment = AttachmentFactory(article=ArticleFactory(slug="with-file"))
    ArticleFactory(slug="other")

    assert client.get(f"/news/other/attachments/{attachment.pk}/").status_code == 404


def test_cover_image_is_shown_with_alt_text_and_size_and_served_from_media(client):
    ArticleFactory(
        slug="with-cover", cover=upload("cover.png", png_bytes((40, 30))), cover_alt="营业厅外景"
    )

    body = client.get("/news/with-cover/").content.decode()

    assert 'alt="营业厅外景" width="40" height="30"' in body
    src = body.split('<img src="', 1)[1].split('"', 1)[0]
    assert src.startswith("/media/news/covers/")
    image = client.get(src)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_media_view_serves_nothing_outside_the_news_folder(client, settings):
    (settings.MEDIA_ROOT / "news").mkdir(parents=True)
    (settings.MEDIA_ROOT / "secret.txt").write_text("secret")
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "licence.pdf").write_bytes(PDF_BYTES)

    for path in [
        "/media/news/../secret.txt",
        "/media/news/%2e%2e/secret.txt",
        "/media/news/..%2fsecret.txt",
        "/media/secret.txt",
        "/media/news/../../private_media/licence.pdf",
        "/media/news/",
        "/media/news/a%00b.png",
        "/media/news/" + "a" * 5000,
    ]:
        assert client.get(path).status_code == 404, path


def test_media_view_offers_other_files_as_downloads(client, settings):
    folder = settings.MEDIA_ROOT / "news" / "attachments"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<script>alert(1)</script>")

    response = client.get("/media/news/attachments/page.html")

    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_each_visit_counts_one_view(client):
    ArticleFactory(slug="counted")

    for _ in range(3):
        client.get("/news/counted/")
    client.head("/news/counted/")

    assert Article.objects.get(slug="counted").view_count == 3


@pytest.mark.django_db(transaction=True)
def test_view_count_is_exact_under_concurrent_visits():
    article = ArticleFactory(slug="busy")
    visits_per_thread, threads = 5, 8
    errors = []

    def visit():
        try:
            client = Client()
            for _ in range(visits_per_thread):
                assert client.get("/news/busy/").status_code == 200
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=visit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    article.refresh_from_db()
    assert article.view_count == visits_per_thread * threads
