"""Rate limits: the rate syntax, the client's address behind proxies, counting in the cache."""

import os

import environ
import pytest
import redis
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from numbers import ratelimit


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("5/h", (5, 3600)), ("20/10m", (20, 600)), ("1/s", (1, 1)), (" 100 / d ", (100, 86400))],
)
def test_rates_read_as_hits_per_seconds(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "5", "5/hour", "h/5", "-1/h", "5/0.5h"])
def test_a_malformed_rate_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate(rate)


def test_without_proxies_the_client_is_the_connecting_address(settings):
    settings.NUM_PROXIES = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )

    assert ratelimit.client_address(request) == "203.0.113.1"  # a forged header is ignored


def test_behind_proxies_the_client_is_counted_from_the_right(settings):
    settings.NUM_PROXIES = 2
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9, 10.0.0.1",  # first entry forged
    )

    assert ratelimit.client_address(request) == "198.51.100.9"


@pytest.mark.django_db
def test_hits_count_up_to_the_limit_per_client_and_scope():
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.2")

    assert [ratelimit.hit("orders", one, "3/h") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.is_limited("orders", one, "3/h")
    assert not ratelimit.is_limited("orders", other, "3/h")
    assert not ratelimit.is_limited("callbacks", one, "3/h")


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis server, as in production (a spare database)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Redis does not answer at {url}")
        pytest.skip(f"Redis does not answer at {url}: start it to run this test")
    config = environ.Env.cache_url_config(url)
    settings.CACHES = {**settings.CACHES, "default": config, "limits": config}
    caches["limits"].clear()
    yield caches["limits"]
    caches["limits"].clear()


def test_hits_are_counted_in_redis_shared_by_every_worker(redis_cache):
    client = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")

    assert [ratelimit.hit("orders", client, "2/h") for _ in range(3)] == [True, True, False]
    assert ratelimit.is_limited("orders", client, "2/h")
    assert any(b"rl:" in key for key in redis_cache._cache.get_client().keys("*"))


@pytest.mark.django_db
def test_a_hit_can_be_counted_per_mobile_number_instead_of_per_address():
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.2")

    assert ratelimit.hit("orders", one, "1/h", value="13800138000")
    assert not ratelimit.hit("orders", other, "1/h", value="13800138000")
    assert ratelimit.hit("orders", other, "1/h", value="13900139000")


def test_without_redis_the_counters_live_in_the_database_every_worker_shares():
    from tests.reseller.test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['limits']['BACKEND'])",
        DEBUG="on",
        DATABASE_URL="sqlite:////tmp/unused-ratelimit-check.sqlite3",
    )

    assert result.stdout.splitlines()[-1] == "accounts.cache.AtomicDatabaseCache", result.stderr
