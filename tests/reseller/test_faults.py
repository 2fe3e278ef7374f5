"""Faults: the database away gives the site's 503 page; the cache away costs nothing visible."""

import json

import pytest
from django.core.cache import caches
from django.test import Client

from numbers.models import Order
from tests.factories import NumberFactory
from tests.reseller.test_site import database_down

# Nothing listens on this port of this machine's range (8150-8159).
DEAD_REDIS = "redis://127.0.0.1:8159/0"


@pytest.fixture
def order_data():
    return {
        "name": "王经理",
        "company": "示例有限公司",
        "mobile": "13800138000",
        "accept_rules": "on",
    }


@pytest.fixture
def redis_down(settings):
    config = {
        "BACKEND": "accounts.cache.ForgivingRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    settings.CACHES = {**settings.CACHES, "default": config, "limits": config}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield caches["default"]


@pytest.mark.django_db
def test_health_check_reports_database_and_cache_as_json(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db(transaction=True)
def test_health_check_names_the_database_when_it_is_down(client):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_pages_answer_the_sites_503_page_while_the_database_is_down():
    NumberFactory(number="4006328888")
    client = Client(raise_request_exception=False)

    with database_down():
        pages = [client.get(path) for path in ("/", "/numbers/", "/numbers/4006328888/")]
    after = client.get("/numbers/4006328888/")

    assert [page.status_code for page in pages] == [503, 503, 503]
    assert all("Traceback" not in page.content.decode() for page in pages)
    assert "暂时无法访问" in pages[0].content.decode()
    assert pages[0]["Retry-After"] == "60"
    assert after.status_code == 200  # back without a restart


@pytest.mark.django_db
def test_health_check_reports_the_cache_down_but_the_site_up(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_orders_are_taken_while_redis_is_down(client, redis_down, order_data):
    NumberFactory(number="4006328888")

    form = client.get("/numbers/4006328888/order/")
    placed = client.post("/numbers/4006328888/order/", order_data)

    assert form.status_code == 200
    assert placed.status_code == 302
    assert Order.objects.filter(number__number="4006328888").exists()


@pytest.mark.django_db
def test_a_staff_login_works_while_redis_is_down(redis_down, make_user):
    make_user("editor", is_staff=True)
    client = Client()

    response = client.post(
        "/accounts/login/", {"username": "editor", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
