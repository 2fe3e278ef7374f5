"""Rate limits: the rate syntax, the client's address behind proxies, counting in the cache."""

import pytest
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


def test_hits_count_up_to_the_limit_per_client_and_scope():
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.2")

    assert [ratelimit.hit("orders", one, "3/h") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.is_limited("orders", one, "3/h")
    assert not ratelimit.is_limited("orders", other, "3/h")
    assert not ratelimit.is_limited("callbacks", one, "3/h")
