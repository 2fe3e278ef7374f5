"""The signed link to an order's page: how long it works, and where its key never lands."""

import logging
import runpy
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from django.utils import timezone, translation
from gunicorn.config import Config
from gunicorn.glogging import Logger

from numbers import order_access
from numbers.models import Number, Order, OrderEvent, OrderStatus
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

DEPLOY = Path(django_settings.BASE_DIR) / "deploy"
EXPIRED = "此订单链接已失效。"


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /en/ leaves English active in this thread, and reverse() would
    # then build /en/ URLs for the next test.
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


def closed(order, status, days_ago):
    """The order moved to ``status`` ``days_ago`` days ago, as its history says."""
    Order.objects.filter(pk=order.pk).update(status=status)
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=status,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    order.refresh_from_db()
    return order


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.ACTIVE])
def test_a_link_of_an_order_closed_91_days_ago_is_refused_with_a_way_forward(client, status):
    order = closed(OrderFactory(company="广州示例贸易有限公司"), status, days_ago=91)

    response = client.get(order.get_signed_url())

    body = response.content.decode()
    assert response.status_code == 410
    assert EXPIRED in body
    assert "订单号和手机号" in body  # the look-up, right there
    assert 'action="/orders/"' in body
    assert "400-" in body  # and the hotline
    assert "广州示例贸易有限公司" not in body
    assert order_access.COOKIE_NAME not in response.cookies


def test_the_expired_link_page_exists_in_english(client):
    order = closed(OrderFactory(), OrderStatus.CANCELLED, days_ago=91)

    response = client.get(f"/en{order.get_signed_url()}")

    assert response.status_code == 410
    assert "This link to your order has expired." in response.content.decode()
    assert "90 days after it closes" in response.content.decode()


def test_a_link_of_an_order_closed_89_days_ago_still_opens_it(client):
    order = closed(OrderFactory(), OrderStatus.CANCELLED, days_ago=89)

    response = client.get(order.get_signed_url(), follow=True)

    assert response.status_code == 200
    assert "timeline" in response.content.decode()


def test_the_lifetime_follows_order_link_days(client, settings):
    settings.ORDER_LINK_DAYS = 7
    order = closed(OrderFactory(), OrderStatus.CANCELLED, days_ago=8)

    assert client.get(order.get_signed_url()).status_code == 410


def test_an_open_order_placed_400_days_ago_still_opens(client):
    order = OrderFactory(created_at=timezone.now() - timedelta(days=400))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CONFIRMED)

    response = client.get(order.get_signed_url(), follow=True)

    assert response.status_code == 200
    assert "timeline" in response.content.decode()


def test_a_hold_that_ran_out_91_days_ago_closes_the_order_before_any_job_runs(client):
    order = OrderFactory(created_at=timezone.now() - timedelta(days=94))
    Number.objects.filter(pk=order.number.pk).update(
        hold_expires_at=timezone.now() - timedelta(days=91)
    )

    assert client.get(order.get_signed_url()).status_code == 410


def test_the_look_up_opens_an_order_whose_link_has_expired(client):
    order = closed(OrderFactory(mobile="13800138000"), OrderStatus.CANCELLED, days_ago=400)

    response = client.post(
        "/orders/", {"reference": order.reference, "mobile": "13800138000"}, follow=True
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "timeline" in body
    assert "?key=" not in body  # no link offered that would not work


def test_the_key_is_swapped_for_a_cookie_and_a_redirect_to_the_clean_address(client):
    order = OrderFactory()

    response = client.get(order.get_signed_url())

    assert response.status_code == 303
    assert response["Location"] == f"/orders/{order.reference}/"
    assert response["Referrer-Policy"] == "no-referrer"
    cookie = response.cookies[order_access.COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert order.access_key() not in cookie.value

    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "timeline" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_english_link_redirects_to_the_english_page(client):
    order = OrderFactory()

    response = client.get(f"/en{order.get_signed_url()}")

    assert response.status_code == 303
    assert response["Location"] == f"/en/orders/{order.reference}/"


def test_a_forged_key_gets_the_look_up_without_a_cookie_nor_a_referrer(client):
    order = OrderFactory()

    response = client.get(f"{order.get_absolute_url()}?key=forged")

    assert response.status_code == 200
    assert 'name="mobile"' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert order_access.COOKIE_NAME not in response.cookies


def test_the_cookie_of_one_order_does_not_open_another(client):
    one, other = OrderFactory(), OrderFactory()
    client.get(one.get_signed_url())

    assert "timeline" in client.get(one.get_absolute_url()).content.decode()
    assert "timeline" not in client.get(other.get_absolute_url()).content.decode()


def test_a_forged_or_stale_cookie_opens_nothing():
    order = OrderFactory()
    an_hour_and_more_ago = int(time.time()) - order_access.GRANT_SECONDS - 1
    forged = f'{{"{order.reference}": {int(time.time())}}}'
    stale = signing.dumps({order.reference: an_hour_and_more_ago}, salt=order_access.SALT)

    for value in (forged, stale):
        visitor = Client()
        visitor.cookies[order_access.COOKIE_NAME] = value
        assert "timeline" not in visitor.get(order.get_absolute_url()).content.decode()


def gunicorn_access_log(tmp_path, environ) -> str:
    """What gunicorn, configured by deploy/gunicorn.conf.py, writes for one request."""
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = Logger(cfg)
    response = SimpleNamespace(status="303 See Other", sent=0, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.close()
    logging.getLogger("gunicorn.access").handlers.clear()
    return log_file.read_text()


def test_gunicorn_logs_the_path_of_a_signed_link_but_never_its_key(tmp_path):
    key = uuid.uuid4().hex
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/orders/ZC7K3F9Q/?key={key}",
        "PATH_INFO": "/orders/ZC7K3F9Q/",
        "QUERY_STRING": f"key={key}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }

    line = gunicorn_access_log(tmp_path, environ)

    assert '"GET /orders/ZC7K3F9Q/ HTTP/1.1" 303' in line
    assert key not in line
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert "%(r)s" not in conf["access_log_format"]
    assert "%(q)s" not in conf["access_log_format"]


def test_nginx_logs_paths_without_query_strings():
    site = (DEPLOY / "nginx" / "reseller.conf").read_text()
    log_format = site.split("log_format reseller", 1)[1].split(";", 1)[0]
    access_logs = [line.split() for line in site.splitlines() if "access_log " in line]

    assert "$uri" in log_format
    for variable in ("$request ", "$request_uri", "$args", "$query_string", "$is_args"):
        assert variable not in log_format
    assert access_logs
    assert all(words[-1] == "reseller;" for words in access_logs)
