"""Mail leaves through the worker, once, retried with growing pauses, failures shown to staff."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import services
from outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


def queue(subject="订单已收到", to=("boss@example.com",)):
    return services.mail_enqueue(subject=subject, body="正文", to=list(to), what="a test")


def make_retries_due():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_queued_mail_is_delivered_by_the_worker_and_not_before(smtp_sink, run_jobs):
    mail = queue()
    assert smtp_sink.messages == []

    run_jobs()

    assert smtp_sink.subjects() == ["订单已收到"]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 0)
    assert mail.sent_at is not None


def test_a_mail_whose_job_runs_twice_still_goes_out_once(smtp_sink, run_jobs):
    mail = queue()
    run_jobs()

    assert services.mail_deliver(mail_id=mail.pk).startswith("not queued")
    assert len(smtp_sink.messages) == 1


def test_nobody_to_tell_queues_nothing():
    assert queue(to=()) is None
    assert not OutgoingMail.objects.exists()


def test_a_refused_mail_waits_and_goes_out_once_the_server_takes_it(smtp_sink, run_jobs, settings):
    settings.MAIL_RETRY_SECONDS = 30
    smtp_sink.refusing = True
    mail = queue()

    run_jobs()

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert "451" in mail.last_error
    assert mail.next_attempt_at - timezone.now() > timedelta(seconds=25)
    run_jobs()  # the retry is not due yet
    assert smtp_sink.refused == 1

    smtp_sink.refusing = False
    make_retries_due()
    run_jobs()

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(smtp_sink.messages) == 1


def test_pauses_double_and_stop_growing_at_an_hour(settings):
    settings.MAIL_RETRY_SECONDS = 30

    pauses = [services.pause_before(attempt).total_seconds() for attempt in range(1, 10)]

    assert pauses == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_after_the_last_attempt_the_mail_is_failed_for_staff_to_send_again(
    smtp_sink, run_jobs, settings, client, make_user
):
    settings.MAIL_MAX_ATTEMPTS = 2
    smtp_sink.refusing = True
    mail = queue()
    run_jobs()
    make_retries_due()
    run_jobs()

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 2)
    assert DBTaskResult.objects.get(status="FAILED").exception_class_path.endswith("MailFailed")
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    listing = client.get("/admin/outbox/outgoingmail/?status__exact=failed")
    assert "订单已收到" in listing.content.decode()

    smtp_sink.refusing = False
    client.post(
        "/admin/outbox/outgoingmail/",
        {"action": "send_again", "_selected_action": [mail.pk]},
    )
    run_jobs()

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(smtp_sink.messages) == 1


def test_mail_cannot_be_added_or_deleted_in_admin(client, make_user):
    mail = queue()
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))

    assert client.get("/admin/outbox/outgoingmail/add/").status_code == 403
    assert client.get(f"/admin/outbox/outgoingmail/{mail.pk}/delete/").status_code == 403
