"""E-mails on a new order and on each change, in the customer's language; never in the way.

They are jobs written with the order and sent by the worker (here: ``run_jobs``)."""

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from numbers import services
from numbers.models import Order, OrderStatus
from outbox.models import MailStatus, OutgoingMail
from tests.factories import NumberFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _staff(settings):
    settings.STAFF_NOTIFY_EMAILS = ["orders@example.com", "sales@example.com"]
    settings.SITE_URL = "https://www.example.com"


def test_a_new_order_mails_the_customer_in_chinese_and_the_staff(
    client, order_data, mailoutbox, run_jobs
):
    NumberFactory(number="4006328888")

    client.post("/numbers/4006328888/order/", {**order_data, "email": "boss@example.com"})
    run_jobs()

    order = Order.objects.get()
    customer, staff = mailoutbox
    assert customer.to == ["boss@example.com"]
    assert customer.subject == f"已收到订单 {order.reference}：400-632-8888"
    assert "感谢您的订购" in customer.body
    assert f"https://www.example.com{order.get_signed_url()}" in customer.body
    assert "138****8000" in customer.body
    assert staff.to == ["orders@example.com", "sales@example.com"]
    assert f"网站新订单 {order.reference}" in staff.body
    assert "13800138000" in staff.body
    assert f"/admin/numbers/order/{order.pk}/change/" in staff.body


def test_an_english_customer_gets_english_mail_and_staff_still_chinese(
    client, order_data, mailoutbox, run_jobs
):
    NumberFactory(number="4006328888")

    client.post("/en/numbers/4006328888/order/", {**order_data, "email": "boss@example.com"})
    run_jobs()

    order = Order.objects.get()
    customer, staff = mailoutbox
    assert customer.subject == f"Order {order.reference} received: 400-632-8888"
    assert "Thank you for your order" in customer.body
    assert f"https://www.example.com/en/orders/{order.reference}/?key=" in customer.body
    assert "网站新订单" in staff.body


def test_without_an_e_mail_address_only_the_staff_hear_of_it(
    client, order_data, mailoutbox, run_jobs
):
    NumberFactory(number="4006328888")

    client.post("/numbers/4006328888/order/", order_data)
    run_jobs()

    assert [message.to for message in mailoutbox] == [["orders@example.com", "sales@example.com"]]


def test_each_status_change_mails_the_customer_in_their_language(mailoutbox, run_jobs):
    order = OrderFactory(email="boss@example.com", language="en")

    services.order_transition(order=order, to=OrderStatus.CONFIRMED, note="Called the customer")
    run_jobs()

    customer, staff = mailoutbox
    assert customer.subject == f"Order {order.reference} is now: Confirmed"
    assert "Your order" in customer.body and "Confirmed" in customer.body
    assert staff.subject == f"订单 {order.reference} 状态更新：已确认"


def test_an_order_and_its_mails_are_committed_together_or_not_at_all(order_data):
    NumberFactory(number="4006328888")
    customer = {key: order_data[key] for key in ("name", "company", "mobile")}

    with pytest.raises(RuntimeError), transaction.atomic():
        services.order_place(digits="4006328888", email="boss@example.com", **customer)
        assert OutgoingMail.objects.count() == 2
        raise RuntimeError("the request failed after the order was written")

    assert not Order.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_mail_server_that_is_down_neither_loses_nor_blocks_the_order(
    client, order_data, settings, run_jobs
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    NumberFactory(number="4006328888")

    response = client.post(
        "/numbers/4006328888/order/", {**order_data, "email": "boss@example.com"}
    )
    run_jobs()

    assert response.status_code == 302
    assert Order.objects.get().status == OrderStatus.SUBMITTED
    mail = OutgoingMail.objects.get(to=["boss@example.com"])
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 2
