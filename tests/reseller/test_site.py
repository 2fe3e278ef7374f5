"""The site shell: home page, languages, health check, robots, error pages."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from tests.factories import ArticleFactory, NumberFactory, OfficeFactory
from tests.support.urlconf import urls_loaded_with

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Point the real connection somewhere no database answers, then put it back."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def test_home_page_shows_hotline_featured_numbers_news_and_offices(client, settings):
    settings.SITE_HOTLINE = "4006675400"
    NumberFactory(number="4006328888", featured=True)
    NumberFactory(number="4006320001", featured=False)
    ArticleFactory(title="实名制核查通知")
    OfficeFactory(name="广州400电话办理中心")

    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:4006675400"' in body
    assert "400-667-5400" in body
    assert "400-632-8888" in body
    assert "400-632-0001" not in body
    assert "实名制核查通知" in body
    assert "广州400电话办理中心" in body


def test_home_page_without_any_content_says_so_instead_of_showing_blank_sections(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.context["featured_numbers"].count() == 0
    assert "empty-state" in response.content.decode()


def test_chinese_is_the_default_language_and_english_lives_under_en(client):
    chinese = client.get("/")
    english = client.get("/en/")

    assert chinese.status_code == english.status_code == 200
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "选号" in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Choose a number" in english.content.decode()


def test_every_page_links_to_itself_in_the_other_language(client):
    OfficeFactory(slug="guangzhou")

    body = client.get("/offices/guangzhou/").content.decode()

    assert 'href="/en/offices/guangzhou/"' in body
    assert 'href="/offices/guangzhou/"' in client.get("/en/offices/guangzhou/").content.decode()


def test_footer_shows_contacts_and_icp_line_from_settings(client, settings):
    settings.SITE_QQ = "800012345"
    settings.SITE_WECHAT = "premium400"
    settings.SITE_ICP = "粤ICP备12345678号"

    body = client.get("/contact/").content.decode()

    assert "800012345" in body
    assert "premium400" in body
    assert "粤ICP备12345678号" in body


def test_breadcrumbs_start_at_home(client):
    body = client.get("/contact/").content.decode()

    assert "您的位置" in body
    assert 'aria-current="page">联系我们' in body


def test_health_check_answers_200_while_the_database_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_when_the_database_is_down(client):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out(client, settings):
    settings.SITE_URL = "https://www.example.com"
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: https://www.example.com/sitemap.xml" in body
    assert "Disallow: /agent/" in body
    assert "admin" not in body  # robots.txt is public: it must not point at the back office


def test_unknown_url_gets_the_sites_own_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "Traceback" not in body
    assert 'class="site-header"' in body


def test_unknown_url_in_english_gets_an_english_404_page(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_post_without_csrf_token_gets_the_sites_own_403_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "表单已过期" in body
    assert 'class="site-header"' in body


@pytest.mark.django_db(transaction=True)
def test_page_that_fails_while_the_database_is_down_gets_the_sites_own_503_page(settings):
    settings.SITE_HOTLINE = "4006675400"
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/")

    assert response.status_code == 503
    body = response.content.decode()
    assert "暂时无法访问" in body
    assert "Traceback" not in body
    assert 'href="tel:4006675400"' in body


def bench_endpoints(enabled):
    return urls_loaded_with(BENCH_ENDPOINTS=enabled)


@pytest.mark.parametrize(("enabled", "status"), [(False, 404), (True, 200)])
def test_bench_ping_exists_only_when_enabled(client, enabled, status):
    with bench_endpoints(enabled):
        response = client.get("/bench/ping")

    assert response.status_code == status
    assert client.get("/bench/ping").status_code == 404  # off again once the switch is off


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_login_page_keeps_the_portals_hotline(client, settings):
    settings.SITE_HOTLINE = "4006675400"

    body = client.get("/accounts/login/").content.decode()

    assert 'href="tel:4006675400"' in body


def test_request_for_an_unknown_host_gets_the_sites_own_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
