"""Response headers that tell a visitor's browser, and a scanner, no more than they need."""

import pytest

from tests.reseller.test_settings import production_env, run_manage
from tests.support.urlconf import urls_loaded_with

pytestmark = pytest.mark.django_db

DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


@pytest.mark.parametrize("path", ["/", "/numbers/", "/no-such-page/", "/accounts/login/"])
def test_every_response_denies_the_browser_features_no_page_uses(client, path):
    policy = client.get(path)["Permissions-Policy"]

    directives = dict(item.split("=", 1) for item in policy.split(", "))
    for feature in DENIED_FEATURES:
        assert directives[feature] == "()", feature
    assert directives["interest-cohort"] == "()"


def admin_at(admin_url):
    return urls_loaded_with(ADMIN_URL=admin_url)


def test_admin_lives_where_admin_url_says_and_robots_txt_does_not_tell(client):
    with admin_at("back-office-7f3k/"):
        moved = client.get("/back-office-7f3k/")
        old = client.get("/admin/")
        robots = client.get("/robots.txt").content.decode()

    assert moved.status_code == 302
    assert moved["Location"].startswith("/back-office-7f3k/login/")
    assert old.status_code == 404
    assert "back-office" not in robots
    assert "admin" not in robots


def test_admin_pages_ask_search_engines_not_to_index_them(client):
    body = client.get("/admin/login/").content.decode()

    assert '<meta name="robots" content="NONE,NOARCHIVE">' in body


@pytest.mark.parametrize("admin_url", ["/admin/", "admin", "a/b/", "../admin/", "ad min/", ""])
def test_an_admin_url_that_is_not_one_path_segment_refuses_to_start(admin_url):
    result = run_manage("check", **production_env(ADMIN_URL=admin_url))

    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr
