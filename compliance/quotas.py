"""How much verification storage an agent and a subscriber may fill, and how fast.

The limits are settings (``DOCUMENT_QUOTA_*_MB``, ``RATE_LIMIT_UPLOADS_PER_*``). An
agent's storage is what it uploaded; a subscriber's is everything uploaded for it.
Superseded documents are kept as evidence, so they count, and so does each image's
re-encoded copy.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from compliance.filecheck import UploadRejected
from compliance.models import Document, Subscriber
from numbers import ratelimit

MB = 1024 * 1024


@dataclass(frozen=True)
class Usage:
    used: int  # bytes
    limit: int  # bytes

    def admits(self, incoming: int) -> bool:
        return self.used + incoming <= self.limit


def subscriber_usage(subscriber: Subscriber) -> Usage:
    return Usage(
        used=Document.objects.filter(subscriber=subscriber).stored_bytes(),
        limit=settings.DOCUMENT_QUOTA_SUBSCRIBER_MB * MB,
    )


def agent_usage(agent: AbstractBaseUser) -> Usage:
    return Usage(
        used=Document.objects.filter(uploaded_by=agent).stored_bytes(),
        limit=settings.DOCUMENT_QUOTA_AGENT_MB * MB,
    )


def check_storage(*, subscriber: Subscriber, uploader: AbstractBaseUser, incoming: int) -> None:
    """Refuse ``incoming`` more bytes that would take either over its quota.

    Race-safe only inside the upload's transaction, after the uploader's and the
    subscriber's rows are locked (``services.document_upload``).
    """
    for usage, message in [
        (
            subscriber_usage(subscriber),
            _(
                "This subscriber's documents already take %(used)s of the %(limit)s they "
                "may use, and this file does not fit. Ask our staff to raise the limit."
            ),
        ),
        (
            agent_usage(uploader),
            _(
                "Your documents already take %(used)s of the %(limit)s one agent may use, "
                "and this file does not fit. Ask our staff to raise the limit."
            ),
        ),
    ]:
        if not usage.admits(incoming):
            params = {"used": filesizeformat(usage.used), "limit": filesizeformat(usage.limit)}
            raise UploadRejected("quota", message, params)


def check_rate(request, *, subscriber: Subscriber) -> None:
    """Count one upload attempt for the agent and for the subscriber; refuse it when
    either has used up its rate. Counted before the file is decoded: decoding is the cost."""
    if not ratelimit.hit(
        "document-uploads-agent",
        request,
        settings.RATE_LIMIT_UPLOADS_PER_AGENT,
        value=str(request.user.pk),
    ):
        raise UploadRejected(
            "rate",
            _("You have uploaded many files in a short time; please wait a while and try again."),
        )
    if not ratelimit.hit(
        "document-uploads-subscriber",
        request,
        settings.RATE_LIMIT_UPLOADS_PER_SUBSCRIBER,
        value=str(subscriber.pk),
    ):
        raise UploadRejected(
            "rate",
            _(
                "Many files were uploaded for this subscriber in a short time; please wait a "
                "while and try again."
            ),
        )


def check_upload(request, size: int, *, subscriber: Subscriber) -> None:
    """Before a file is inspected: its rate, and whether its bytes alone still fit (the
    upload checks the quota again, race-safe, with the re-encoded copy counted)."""
    check_rate(request, subscriber=subscriber)
    check_storage(subscriber=subscriber, uploader=request.user, incoming=size)
