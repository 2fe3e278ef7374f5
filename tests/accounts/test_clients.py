"""One client address for rate limits, lockouts and logs, honest behind nginx and without it."""

import pytest
from django.test import RequestFactory

from accounts.clients import client_address


def request_from(peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


def test_without_proxies_the_peer_is_the_client_whatever_the_header_says(settings):
    settings.NUM_PROXIES = 0

    assert client_address(request_from("203.0.113.1", "198.51.100.9")) == "203.0.113.1"


def test_behind_nginx_the_address_nginx_saw_is_the_client(settings):
    settings.NUM_PROXIES = 1

    # The client forged the first entry; nginx appended the address it really saw.
    request = request_from("127.0.0.1", "1.1.1.1, 198.51.100.9")

    assert client_address(request) == "198.51.100.9"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.NUM_PROXIES = 2

    request = request_from("10.0.0.2", "1.1.1.1, 198.51.100.9, 10.0.0.1")

    assert client_address(request) == "198.51.100.9"


def test_a_direct_client_cannot_choose_its_address_when_no_proxy_is_in_front(settings):
    settings.NUM_PROXIES = 1  # as shipped in .env.example, but nginx is not there

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_address(request_from("203.0.113.7", "198.51.100.2")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.9<script>", " , "])
def test_a_garbled_header_from_the_proxy_counts_the_proxy(settings, forwarded):
    settings.NUM_PROXIES = 1

    assert client_address(request_from("127.0.0.1", forwarded)) == "127.0.0.1"


def test_a_request_that_skipped_a_proxy_counts_its_peer(settings):
    settings.NUM_PROXIES = 2

    assert client_address(request_from("10.0.0.2", "198.51.100.9")) == "10.0.0.2"
