"""Two app servers and one worker on shared PostgreSQL, Redis and S3 behave as one site.

Each server is a real gunicorn process started from deploy/gunicorn.conf.py; a visitor
moves between them as a load balancer would send it. The order e-mail goes through a
real SMTP server on loopback that is, for the second order, refusing for a while.
"""

import os
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from compliance.models import Agent
from numbers.models import Order
from outbox.models import MailStatus, OutgoingMail
from tests.compliance.factories import SubscriberFactory, pdf_bytes
from tests.factories import NumberFactory
from tests.support.http import Visitor
from tests.support.servers import PortalProcesses, SmtpSink, wait_until

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

PASSWORD = "two-servers-one-site"


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_S3") == "1" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Redis does not answer at {url}")
        pytest.skip(f"Redis does not answer at {url}: start it to run the two-server proof")
    return url


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Several servers share one database in production: PostgreSQL only")


@pytest.fixture
def site(postgresql, seaweed, redis_url, tmp_path):
    """Servers A and B and one worker, sharing the test database, Redis, S3 and SMTP."""
    sink = SmtpSink().start()
    db = connection.settings_dict
    environment = {
        **seaweed.environment(),
        "DATABASE_URL": (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "DEBUG": "off",
        "SECRET_KEY": "two-servers-share-this-secret-" + "x" * 30,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STAFF_NOTIFY_EMAILS": "",
        "RATE_LIMIT_ORDER_LOOKUPS": "2/h",
        "MAIL_RETRY_SECONDS": "1",
        "MEDIA_ROOT": str(tmp_path / "media-unused"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-unused"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "LOG_LEVEL": "WARNING",
    }
    processes = PortalProcesses(environment, tmp_path)
    try:
        a, b = processes.web("web-a"), processes.web("web-b")
        processes.worker()
        yield a, b, sink, processes
    finally:
        processes.stop()
        sink.stop()


def order_mails(sink, reference):
    return [subject for subject in sink.subjects() if reference in subject]


def place_order(visitor, server, digits):
    return visitor.post(
        f"{server}/numbers/{digits}/order/",
        {
            "name": "王经理",
            "company": "广州示例贸易有限公司",
            "mobile": "13800138000",
            "email": "boss@example.com",
            "office": "",
            "message": "",
            "accept_rules": "on",
        },
    )


def test_two_servers_and_a_worker_act_as_one_site(site, make_user):
    a, b, sink, processes = site
    user = make_user("agent_two", groups=["agents"], password=PASSWORD, email="a@agents.example")
    # The tests hash with MD5 for speed; the servers accept only production's hashers.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    Agent.objects.create(user=user, company="甲代理")
    subscriber = SubscriberFactory(agent=user)
    NumberFactory(number="4006328888")
    NumberFactory(number="4006329999")

    # Logged in on A, still logged in on B.
    agent = Visitor()
    login = agent.post(f"{a}/accounts/login/", {"username": "agent_two", "password": PASSWORD})
    assert login.status == 302, processes.log("web-a")
    assert agent.get(f"{b}/agent/").status == 200

    # A rate limit tripped through A holds on B.
    stranger = Visitor()
    wrong = {"reference": "ZZZZZZZZ", "mobile": "13900139000"}
    assert [stranger.post(f"{a}/orders/", wrong).status for _ in range(2)] == [400, 400]
    assert stranger.post(f"{b}/orders/", wrong).status == 429

    # An order through A holds the number for everyone on B.
    customer = Visitor()
    placed = place_order(customer, a, "4006328888")
    assert placed.status == 302, processes.log("web-a")
    assert place_order(Visitor(), b, "4006328888").status == 409

    # A document uploaded through A is downloaded, byte for byte, through B.
    data = pdf_bytes()
    uploaded = agent.post(
        f"{a}/agent/subscribers/{subscriber.pk}/documents/",
        {"kind": "supplementary_agreement"},
        form_url=f"{a}/agent/subscribers/{subscriber.pk}/",
        files={"file": ("协议.pdf", data, "application/pdf")},
    )
    assert uploaded.status == 302, uploaded.text[:2000] + processes.log("web-a")
    document = subscriber.documents.get()
    assert agent.get(f"{b}/agent/documents/{document.pk}/?original=1").body == data
    assert Visitor().get(f"{b}/agent/documents/{document.pk}/").status == 302  # to login

    # The order e-mail: delivered by the worker, once.
    reference = Order.objects.get(number__number="4006328888").reference
    wait_until(lambda: order_mails(sink, reference), timeout=60, what="the order e-mail")
    wait_until(
        lambda: not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists(),
        timeout=30,
        what="every mail marked sent",
    )
    assert len(order_mails(sink, reference)) == 1

    # With the mail server refusing for a while, the next order's mail still arrives once.
    sink.refusing = True
    assert place_order(customer, b, "4006329999").status == 302
    wait_until(lambda: sink.refused >= 2, timeout=60, what="two refused attempts")
    sink.refusing = False
    second = Order.objects.get(number__number="4006329999").reference
    wait_until(lambda: order_mails(sink, second), timeout=60, what="the retried e-mail")
    mail = wait_until(
        lambda: OutgoingMail.objects.filter(status=MailStatus.SENT, what__contains=second).first(),
        timeout=30,
        what="the retried mail marked sent",
    )
    assert mail.attempts >= 2
    assert len(order_mails(sink, second)) == 1
    assert len(sink.messages) == 2
