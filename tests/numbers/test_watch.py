"""Watching a reserved number (盯号): POST /numbers/<digits>/watch/ and the one notice after."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from numbers import services, sms
from numbers.models import NumberStatus, OrderStatus, Watch
from tests.factories import NumberFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks, run_jobs):
    """Run what the code defers to after the commit (the notices), as a real commit would,
    then the mail jobs they queued, as the worker would."""

    @contextmanager
    def deliver():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_jobs()

    return deliver


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "numbers.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def held(digits="4006328888", hours=24):
    return OrderFactory(
        number__number=digits,
        number__hold_expires_at=timezone.now() + timedelta(hours=hours),
    )


def test_watching_a_held_number_redirects_back_with_a_confirmation(client):
    order = held()

    response = client.post(
        "/numbers/4006328888/watch/", {"mobile": "138 0013 8001", "email": "a@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/numbers/4006328888/#order"
    watch = Watch.objects.get()
    assert (watch.number, watch.mobile, watch.email) == (
        order.number,
        "13800138001",
        "a@example.com",
    )
    assert watch.expires_at - watch.created_at == timedelta(days=30)
    page = client.get(response["Location"]).content.decode()
    assert "400-632-8888" in page and "30" in page
    assert "13800138001" not in page and "a@example.com" not in page


def test_the_watch_form_shows_on_a_held_numbers_page_only(client):
    held()
    NumberFactory(number="4006518888")

    assert (
        'action="/numbers/4006328888/watch/"' in client.get("/numbers/4006328888/").content.decode()
    )
    assert "/watch/" not in client.get("/numbers/4006518888/").content.decode()


def test_a_watch_needs_a_mobile_or_an_email_and_says_so_on_the_number_page(client):
    held()

    response = client.post("/numbers/4006328888/watch/", {"mobile": "", "email": ""})

    assert response.status_code == 400
    assert "Give a mobile number or an e-mail address" in response.content.decode() or (
        "请留下手机号或电子邮箱" in response.content.decode()
    )
    assert not Watch.objects.exists()


def test_a_bad_mobile_is_refused_next_to_the_field(client):
    held()

    response = client.post("/numbers/4006328888/watch/", {"mobile": "12345"})

    assert response.status_code == 400
    assert response.context["watch_form"].errors["mobile"]
    assert not Watch.objects.exists()


def test_watching_an_orderable_number_sends_the_customer_to_the_order_form(client):
    NumberFactory(number="4006328888")

    response = client.post("/numbers/4006328888/watch/", {"email": "a@example.com"})

    assert response.status_code == 302
    assert not Watch.objects.exists()


def test_an_unlisted_number_cannot_be_watched(client):
    NumberFactory(number="4006328888", status=NumberStatus.RETIRED)

    assert client.post("/numbers/4006328888/watch/", {"email": "a@example.com"}).status_code == 404


def test_the_same_contact_watching_twice_keeps_one_watch(client):
    held()
    for _ in range(2):
        client.post("/numbers/4006328888/watch/", {"email": "a@example.com"})

    assert Watch.objects.count() == 1


def test_watches_are_rate_limited_like_orders(client, settings):
    settings.RATE_LIMIT_ORDERS = "2/h"
    held()

    codes = [
        client.post("/numbers/4006328888/watch/", {"email": f"{i}@example.com"}).status_code
        for i in range(3)
    ]

    assert codes == [302, 302, 429]
    assert Watch.objects.count() == 2


def test_a_cancelled_order_tells_each_watcher_once_by_email_and_sms(settings, sent):
    settings.SITE_URL = "https://shop.example"
    order = held()
    services.watch_create(number=order.number, mobile="13800138001", email="a@example.com")
    services.watch_create(number=order.number, email="b@example.com", language="en")

    with sent():
        services.order_transition(order=order, to=OrderStatus.CANCELLED)
        services.holds_release_expired()  # the hourly job finds nothing more to send

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.com", "b@example.com"]
    english = next(m for m in mail.outbox if m.to == ["b@example.com"])
    assert "400-632-8888 can be ordered again" in english.subject
    assert "https://shop.example/en/numbers/4006328888/" in english.body
    assert "https://shop.example/en/numbers/watches/" in english.body  # the unsubscribe link
    assert [mobile for mobile, _text in sms.outbox] == ["13800138001"]
    assert "https://shop.example/numbers/4006328888/" in sms.outbox[0][1]
    assert Watch.objects.filter(notified_at__isnull=True).count() == 0


def test_a_hold_that_ran_out_is_noticed_by_the_release_job(sent):
    order = held(hours=1)
    services.watch_create(number=order.number, email="a@example.com")
    order.number.__class__.objects.filter(pk=order.number.pk).update(
        hold_expires_at=timezone.now() - timedelta(minutes=1)
    )

    with sent():
        call_command("release_expired_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert [message.to for message in mail.outbox] == [["a@example.com"]]


def test_staff_releasing_a_number_tells_the_watchers(admin_user, sent):
    number = NumberFactory(number="4006328888", status=NumberStatus.HELD, hold_expires_at=None)
    services.watch_create(number=number, email="a@example.com")

    with sent():
        services.number_transition(number=number, to=NumberStatus.AVAILABLE, actor=admin_user)

    assert [message.to for message in mail.outbox] == [["a@example.com"]]


def test_expired_and_unsubscribed_watches_hear_nothing(client, sent):
    order = held()
    old = services.watch_create(number=order.number, email="old@example.com")
    Watch.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    gone = services.watch_create(number=order.number, email="gone@example.com")
    page = client.get(gone.get_unsubscribe_url())
    assert page.status_code == 200
    assert "gone@example.com" not in page.content.decode()
    client.post(gone.get_unsubscribe_url())

    with sent():
        services.order_transition(order=order, to=OrderStatus.CANCELLED)

    assert [m.to for m in mail.outbox if m.to != ["staff@example.com"]] == []


def test_an_unknown_unsubscribe_key_is_404(client):
    assert client.get("/numbers/watches/nope/unsubscribe/").status_code == 404
    assert client.post("/numbers/watches/nope/unsubscribe/").status_code == 404
