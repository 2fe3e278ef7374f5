"""The editors group does its job (articles, attachments, offices) and nothing else."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import EDITORS
from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory, NumberFactory, OfficeFactory

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = {
    "news.view_article",
    "news.add_article",
    "news.change_article",
    "news.publish_article",
    "news.pin_article",
    "news.preview_article",
    "news.view_attachment",
    "news.add_attachment",
    "news.change_attachment",
    "news.delete_attachment",
    "news.view_category",
    "offices.view_office",
    "offices.change_office",
}


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("ed", groups=[EDITORS], is_staff=True))
    return client


def test_editors_group_holds_exactly_the_editing_permissions():
    group = Group.objects.get(name=EDITORS)

    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }

    assert granted == EDITOR_PERMISSIONS


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/news/article/",
        "/admin/news/article/add/",
        "/admin/news/article/?status__exact=draft",
        "/admin/news/article/?q=实名",
        "/admin/news/category/",
        "/admin/offices/office/",
        "/admin/offices/office/?province=广东",
    ],
)
def test_editor_may_open_the_admin_pages_of_the_job(editor_client, url):
    assert editor_client.get(url).status_code == 200


def test_editor_may_open_an_article_and_an_office_for_editing(editor_client):
    article = ArticleFactory()
    office = OfficeFactory()

    assert editor_client.get(f"/admin/news/article/{article.pk}/change/").status_code == 200
    assert editor_client.get(f"/admin/offices/office/{office.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/numbers/number/",
        "/admin/numbers/plan/",
        "/admin/numbers/prefix/",
        "/admin/news/category/add/",
        "/admin/offices/office/add/",
    ],
)
def test_editor_is_refused_everything_else(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_editor_may_not_delete_articles_offices_or_touch_numbers(editor_client):
    article = ArticleFactory()
    office = OfficeFactory()
    category = CategoryFactory()
    number = NumberFactory()

    for url in [
        f"/admin/news/article/{article.pk}/delete/",
        f"/admin/offices/office/{office.pk}/delete/",
        f"/admin/news/category/{category.pk}/change/",
        f"/admin/numbers/number/{number.pk}/change/",
    ]:
        response = editor_client.post(url, {"post": "yes"})
        assert response.status_code == 403, url
    assert Article.objects.filter(pk=article.pk).exists()


def test_admin_index_shows_editors_only_news_and_offices(editor_client):
    body = editor_client.get("/admin/").content.decode()

    assert "/admin/news/article/" in body
    assert "/admin/offices/office/" in body
    assert "/admin/numbers/" not in body
    assert "/admin/auth/" not in body


def test_staff_without_the_group_cannot_open_articles(client, make_user):
    client.force_login(make_user("clerk", is_staff=True))

    assert client.get("/admin/news/article/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/news/article/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
