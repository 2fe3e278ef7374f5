"""The one door every e-mail goes through: queued with its cause, delivered by the worker.

``mail_enqueue`` writes the message and its job in the caller's transaction, so an order
and its confirmation are committed together or not at all, and the request never waits
for the mail server. The worker delivers it; a failure is retried with growing pauses
(MAIL_RETRY_SECONDS, doubled each time) until MAIL_MAX_ATTEMPTS, then the mail is marked
failed for staff to see in the admin and send again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from outbox.models import MAIL_TRANSITIONS, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# One attempt's wait is capped, so a mail server that is back is noticed within the hour.
_LONGEST_PAUSE = timedelta(hours=1)


class MailFailed(Exception):
    """The last allowed attempt failed; the mail waits for staff in the admin."""


@transaction.atomic(savepoint=False)  # part of the caller's transaction, which it cannot outlive
def mail_enqueue(*, subject: str, body: str, to: list[str], what: str) -> OutgoingMail | None:
    """Queue one e-mail to ``to`` (all recipients see each other, as one message)."""
    if not to:
        return None
    mail = OutgoingMail.objects.create(
        what=what[:200], subject=" ".join(subject.split())[:300], body=body, to=list(to)
    )
    _schedule(mail, run_after=None)
    return mail


def mail_deliver(*, mail_id: int) -> str:
    """Send a queued mail once; on failure queue the next attempt or give up."""
    if not _move(mail_id, MailStatus.QUEUED, MailStatus.SENDING):
        return "not queued: already sent, failed or being sent"
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        EmailMessage(mail.subject, mail.body, to=mail.to).send()
    except Exception as error:
        return _record_failure(mail, error)
    with transaction.atomic():
        _move(mail_id, MailStatus.SENDING, MailStatus.SENT, sent_at=timezone.now())
    logger.info("E-mail %s about %s sent to %d recipient(s)", mail.pk, mail.what, len(mail.to))
    return "sent"


@transaction.atomic
def mail_requeue(*, mail: OutgoingMail) -> bool:
    """Staff send a failed mail again: a fresh round of attempts."""
    if not _move(mail.pk, MailStatus.FAILED, MailStatus.QUEUED, attempts=0):
        return False
    _schedule(mail, run_after=None)
    return True


def pause_before(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, …): doubling, capped."""
    pause = timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))
    return min(pause, _LONGEST_PAUSE)


def _record_failure(mail: OutgoingMail, error: Exception) -> str:
    attempt = mail.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:2000]
    if attempt >= settings.MAIL_MAX_ATTEMPTS:
        _move(mail.pk, MailStatus.SENDING, MailStatus.FAILED, attempts=attempt, last_error=reason)
        logger.error("E-mail %s about %s failed for good: %s", mail.pk, mail.what, reason)
        # The job fails too, so the engine's own admin list shows it with its traceback.
        raise MailFailed(f"E-mail {mail.pk} gave up after {attempt} attempt(s): {reason}")
    with transaction.atomic():
        run_after = timezone.now() + pause_before(attempt)
        _move(
            mail.pk,
            MailStatus.SENDING,
            MailStatus.QUEUED,
            attempts=attempt,
            last_error=reason,
            next_attempt_at=run_after,
        )
        _schedule(mail, run_after=run_after)
    logger.warning(
        "E-mail %s about %s: attempt %d failed (%s); next at %s",
        mail.pk,
        mail.what,
        attempt,
        reason,
        run_after.isoformat(),
    )
    return f"attempt {attempt} failed; retry at {run_after.isoformat()}"


def _move(mail_id: int, current: str, new: str, **fields) -> bool:
    """Change the status if it still is ``current``: one UPDATE, so only one worker wins."""
    if new not in MAIL_TRANSITIONS[current]:
        raise ValueError(f"An e-mail cannot go from {current} to {new}.")
    moved = OutgoingMail.objects.filter(pk=mail_id, status=current).update(status=new, **fields)
    return moved == 1


def _schedule(mail: OutgoingMail, *, run_after) -> None:
    from outbox.tasks import deliver

    job = deliver.using(run_after=run_after) if run_after else deliver
    job.enqueue(mail.pk)
