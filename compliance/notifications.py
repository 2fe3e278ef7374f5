"""E-mails to agents: review decisions, suspensions, nearing campaign deadlines.

Every mail goes through ``_send`` into the outbox (``outbox.services.mail_enqueue``): a
job written in the same transaction as the decision that causes it, delivered and
retried by the worker, so a mail server that is down never turns a reviewer's saved
decision (or an enforcement run) into an error, and no mail is lost.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox.services import mail_enqueue

logger = logging.getLogger(__name__)


def _send(template: str, context: dict, to: str, what: str) -> None:
    if not to:
        logger.warning("No e-mail address for %s; not sent", what)
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
        subject = render_to_string(f"compliance/email/{template}_subject.txt", context)
        body = render_to_string(f"compliance/email/{template}_body.txt", context)
    mail_enqueue(subject=subject, body=body, to=[to], what=what)


def review_decided(review, site_url: str = "") -> None:
    """Tell the agent what the reviewer decided, with a link to the checklist."""
    subscriber = review.document.subscriber
    base = (site_url or settings.SITE_URL).rstrip("/")
    context = {
        "review": review,
        "document": review.document,
        "link": base + subscriber.get_absolute_url(),
    }
    _send("review", context, subscriber.agent.email, f"review {review.pk}")


def number_suspended(suspension) -> None:
    """Tell the agent of the subscriber holding the number that it was shut off, and why."""
    if suspension.subscriber is None:
        return
    agent = suspension.subscriber.agent
    context = {
        "suspension": suspension,
        "link": settings.SITE_URL.rstrip("/") + suspension.subscriber.get_absolute_url(),
    }
    _send("suspended", context, agent.email, f"suspension {suspension.pk}")


def deadline_nears(*, agent, campaign, subscribers) -> None:
    """Remind an agent which of its subscribers still miss documents before a deadline."""
    context = {
        "campaign": campaign,
        "subscribers": subscribers,
        "link": settings.SITE_URL.rstrip("/") + reverse("agent:overview"),
    }
    _send("deadline", context, agent.email, f"campaign {campaign.pk} reminder to {agent.pk}")
