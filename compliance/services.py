"""Every write of real-name verification that touches several rows or has side effects."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.roles import AGENTS
from compliance import storage
from compliance.filecheck import InspectedFile, UploadRejected, safe_display_name, sanitized_image
from compliance.models import (
    CURED_BY_VERIFICATION,
    Agent,
    Campaign,
    Complaint,
    Document,
    DocumentAccess,
    DocumentKind,
    DocumentReview,
    DocumentStatus,
    Holding,
    IdNumberReveal,
    RejectionReason,
    Subscriber,
    SubscriberStatus,
    SubscriberStatusChange,
    Suspension,
    SuspensionCause,
)
from numbers.models import Number, NumberStatus, Order, OrderStatus
from numbers.services import OrderError, number_restore, number_suspend, order_transition
from offices.models import Office

logger = logging.getLogger(__name__)


# --- Agents and subscribers ------------------------------------------------------------------


@transaction.atomic
def agent_create(
    *, username: str, company: str, office: Office | None = None, email: str = ""
) -> tuple[AbstractBaseUser, str | None]:
    """Make ``username`` an agent; return the user and a new password if one was set."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=AGENTS)[0])
    Agent.objects.update_or_create(user=user, defaults={"company": company, "office": office})
    return user, password


@transaction.atomic
def subscriber_create(
    *,
    agent: AbstractBaseUser,
    company_name: str,
    credit_code: str,
    legal_rep_name: str,
    legal_rep_id_number: str,
    contact_phone: str,
    contact_name: str = "",
    handled_by_legal_rep: bool = True,
    licence_predates_unified_code: bool = False,
    order: Order | None = None,
) -> Subscriber:
    subscriber = Subscriber(
        agent=agent,
        company_name=company_name,
        credit_code=credit_code,
        legal_rep_name=legal_rep_name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        handled_by_legal_rep=handled_by_legal_rep,
        licence_predates_unified_code=licence_predates_unified_code,
    )
    subscriber.set_legal_rep_id(legal_rep_id_number)
    subscriber.save()
    if order is not None:
        Holding.objects.create(subscriber=subscriber, number=order.number, order=order)
    return subscriber


@transaction.atomic
def subscriber_add_number(
    *, subscriber: Subscriber, number: Number, order: Order | None = None
) -> Holding:
    """Record that the subscriber holds ``number``; a second number asks for a statement."""
    holding = Holding.objects.create(subscriber=subscriber, number=number, order=order)
    subscriber_refresh_status(subscriber=subscriber, reason="number added")
    return holding


@transaction.atomic
def subscriber_refresh_status(
    *,
    subscriber: Subscriber,
    reason: str,
    actor: AbstractBaseUser | None = None,
    today: date | None = None,
) -> SubscriberStatus:
    """Bring the status in line with the documents, with a history row when it changes;
    verification lifts the suspensions it cures."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    new = subscriber.derived_status(today)
    if new != subscriber.status:
        SubscriberStatusChange.objects.create(
            subscriber=subscriber,
            from_status=subscriber.status,
            to_status=new,
            actor=actor,
            note=reason,
            created_at=timezone.now(),
        )
        subscriber.status = new
        subscriber.save(update_fields=["status"])
    if new == SubscriberStatus.VERIFIED:
        for suspension in subscriber.suspensions.open().filter(cause__in=CURED_BY_VERIFICATION):
            suspension_lift(suspension=suspension, reason="subscriber verified")
        _activate_orders(subscriber)
    return new


def _activate_orders(subscriber: Subscriber) -> None:
    """Orders that waited for this verification go into service (their numbers with them)."""
    waiting = Order.objects.filter(
        holding__subscriber=subscriber, status=OrderStatus.AWAITING_VERIFICATION
    )
    for order in waiting:
        try:
            order_transition(order=order, to=OrderStatus.ACTIVE, note="subscriber verified")
        except OrderError:
            # The number is suspended for another cause (a complaint): staff decide.
            logger.warning("Order %s not activated: its number is not free", order.reference)


@transaction.atomic
def subscriber_reveal_id(*, subscriber: Subscriber, user: AbstractBaseUser, ip: str | None) -> str:
    """The full ID number for a reviewer, with a log row saying who saw it."""
    IdNumberReveal.objects.create(subscriber=subscriber, user=user, ip=ip)
    return subscriber.reveal_legal_rep_id()


# --- Documents --------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    subscriber: Subscriber,
    kind: DocumentKind,
    upload: IO[bytes],
    inspected: InspectedFile,
    original_name: str,
    valid_until: date | None,
    uploaded_by: AbstractBaseUser,
    ip: str | None,
) -> Document:
    """Keep an inspected upload; it supersedes any earlier one of its kind still waiting.

    An approved document of the same kind stays in force until the new one is approved,
    so handing in a renewal never costs a subscriber its verification.
    """
    upload.seek(0)
    data = upload.read(inspected.size + 1)
    if len(data) != inspected.size or _sha256(data) != inspected.sha256:
        # The bytes changed between inspection and storage: keep nothing.
        raise UploadRejected("changed", _("The file changed while it was being checked."))
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    written: list[str] = []
    try:
        written.append(storage.save(data, inspected.extension))
        display_name = display_sha256 = ""
        if inspected.kind in ("jpeg", "png"):
            upload.seek(0)
            copy = sanitized_image(upload, inspected.kind)
            display_name = storage.save(copy, inspected.extension)
            written.append(display_name)
            display_sha256 = _sha256(copy)
        # The one waiting (or rejected) steps aside first: one pending per kind, in the DB.
        waiting = list(
            subscriber.documents.filter(
                kind=kind, status__in=[DocumentStatus.PENDING, DocumentStatus.REJECTED]
            )
        )
        for older in waiting:
            older.transition(DocumentStatus.SUPERSEDED)
            older.save(update_fields=["status"])
        document = Document.objects.create(
            subscriber=subscriber,
            kind=kind,
            stored_name=written[0],
            display_name=display_name,
            sha256=inspected.sha256,
            display_sha256=display_sha256,
            size=inspected.size,
            file_type=inspected.kind,
            content_type=inspected.content_type,
            original_name=safe_display_name(original_name),
            uploaded_by=uploaded_by,
            uploaded_ip=ip,
            valid_until=valid_until,
        )
        for older in waiting:
            older.superseded_by = document
            older.save(update_fields=["superseded_by"])
        subscriber_refresh_status(
            subscriber=subscriber, reason=f"{kind} uploaded", actor=uploaded_by
        )
    except BaseException:
        for name in written:
            storage.discard(name)
        raise
    transaction.on_commit(
        lambda: logger.info(
            "Document %s (%s, %s bytes, sha256 %s) stored for subscriber %s by %s",
            document.pk,
            kind,
            inspected.size,
            inspected.sha256,
            subscriber.pk,
            uploaded_by.pk,
        )
    )
    return document


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _supersede(document: Document, *, by: Document) -> None:
    document.transition(DocumentStatus.SUPERSEDED)
    document.superseded_by = by
    document.save(update_fields=["status", "superseded_by"])


@transaction.atomic
def document_approve(
    *, document: Document, reviewer: AbstractBaseUser, note: str = "", site_url: str = ""
) -> DocumentReview:
    document = Document.objects.select_for_update().get(pk=document.pk)
    older = document.subscriber.documents.filter(
        kind=document.kind, status=DocumentStatus.APPROVED
    ).exclude(pk=document.pk)
    for replaced in older:
        _supersede(replaced, by=document)
    document.transition(DocumentStatus.APPROVED)
    document.save(update_fields=["status"])
    review = DocumentReview.objects.create(
        document=document, decision=DocumentReview.Decision.APPROVED, note=note, reviewer=reviewer
    )
    subscriber_refresh_status(
        subscriber=document.subscriber, reason=f"{document.kind} approved", actor=reviewer
    )
    transaction.on_commit(lambda: _notify_agent(review, site_url))
    return review


@transaction.atomic
def document_reject(
    *,
    document: Document,
    reviewer: AbstractBaseUser,
    reason: RejectionReason,
    note: str = "",
    site_url: str = "",
) -> DocumentReview:
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.transition(DocumentStatus.REJECTED)
    document.save(update_fields=["status"])
    review = DocumentReview.objects.create(
        document=document,
        decision=DocumentReview.Decision.REJECTED,
        reason=reason,
        note=note,
        reviewer=reviewer,
    )
    subscriber_refresh_status(
        subscriber=document.subscriber, reason=f"{document.kind} rejected", actor=reviewer
    )
    transaction.on_commit(lambda: _notify_agent(review, site_url))
    return review


def _notify_agent(review: DocumentReview, site_url: str) -> None:
    """E-mail the agent the decision, in the site's language, with a link to the checklist."""
    agent = review.document.subscriber.agent
    if not agent.email:
        logger.warning("Agent %s has no e-mail address; review %s not sent", agent.pk, review.pk)
        return
    with translation.override(settings.LANGUAGE_CODE):
        base = site_url or settings.SITE_URL
        link = base.rstrip("/") + review.document.subscriber.get_absolute_url()
        context = {"review": review, "document": review.document, "link": link}
        subject = render_to_string("compliance/email/review_subject.txt", context).strip()
        body = render_to_string("compliance/email/review_body.txt", context)
    send_mail(subject, body, None, [agent.email], fail_silently=False)


@transaction.atomic
def document_record_access(
    *, document: Document, user: AbstractBaseUser, ip: str | None, as_download: bool
) -> DocumentAccess:
    return DocumentAccess.objects.create(
        document=document, user=user, ip=ip, as_download=as_download
    )


# --- Suspensions ------------------------------------------------------------------------------


@transaction.atomic
def suspension_open(
    *,
    number: Number,
    cause: SuspensionCause,
    reason: str,
    subscriber: Subscriber | None = None,
    campaign: Campaign | None = None,
    complaint: Complaint | None = None,
    actor: AbstractBaseUser | None = None,
) -> Suspension:
    """Record why ``number`` is shut off, suspending it unless another cause already has.

    Only a number in service can be suspended (``IllegalTransition`` otherwise).
    """
    if not number.suspensions.open().exists():
        number_suspend(number=number, reason=reason[:500], actor=actor)
    return Suspension.objects.create(
        number=number,
        subscriber=subscriber,
        cause=cause,
        campaign=campaign,
        complaint=complaint,
        reason=reason[:300],
    )


@transaction.atomic
def suspension_lift(
    *, suspension: Suspension, reason: str, actor: AbstractBaseUser | None = None
) -> None:
    """Close a suspension; the number returns to service once no other suspension holds it."""
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at:
        return
    suspension.lifted_at = timezone.now()
    suspension.lifted_reason = reason[:200]
    suspension.save(update_fields=["lifted_at", "lifted_reason"])
    if not suspension.number.suspensions.open().exists():
        number_restore(number=suspension.number, reason=reason[:500], actor=actor)


@transaction.atomic
def complaint_record(
    *, number: Number, kind: str, details: str, recorded_by: AbstractBaseUser, received_at=None
) -> Complaint:
    """Record a complaint and suspend its number at once, with the complaint as the reason."""
    complaint = Complaint.objects.create(
        number=number,
        kind=kind,
        details=details,
        recorded_by=recorded_by,
        received_at=received_at or timezone.now(),
    )
    holding = Holding.objects.filter(number=number).select_related("subscriber").first()
    suspension_open(
        number=number,
        cause=SuspensionCause.COMPLAINT,
        reason=f"complaint #{complaint.pk} ({kind}): {details}",
        subscriber=holding.subscriber if holding else None,
        complaint=complaint,
        actor=recorded_by,
    )
    return complaint


@dataclass(frozen=True)
class EnforcementAction:
    number: Number
    subscriber: Subscriber
    cause: SuspensionCause
    reason: str
    campaign: Campaign | None = None

    def __str__(self):
        return f"suspend {self.number.number} ({self.subscriber.company_name}): {self.reason}"


def verification_enforce(*, now: datetime | None = None, dry_run: bool = False):
    """Suspend the numbers of subscribers who missed a campaign deadline or whose required
    document expired. Numbers already suspended for that cause are left alone, so running
    it again does nothing new. Return the actions taken (or, dry, that would be)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    campaign = Campaign.objects.past_deadline(now).order_by("deadline").first()
    actions = []
    with transaction.atomic():
        for subscriber in Subscriber.objects.prefetch_related("holdings__number"):
            if not dry_run:
                subscriber_refresh_status(subscriber=subscriber, reason="enforcement", today=today)
            checklist = subscriber.checklist(today)
            expired = [item for item in checklist if item.state == "expired"]
            verified = all(item.done for item in checklist)
            if expired:
                kinds = ", ".join(str(item.kind.label) for item in expired)
                cause, reason, linked = SuspensionCause.EXPIRED, f"expired: {kinds}", None
            elif campaign and not verified:
                cause, reason = SuspensionCause.DEADLINE, f"not verified by {campaign.title}"
                linked = campaign
            else:
                continue
            for holding in subscriber.holdings.all():
                number = holding.number
                in_service = number.status in (NumberStatus.ACTIVE, NumberStatus.SUSPENDED)
                if not in_service or number.suspensions.open().filter(cause=cause).exists():
                    continue
                action = EnforcementAction(number, subscriber, cause, reason, linked)
                actions.append(action)
                if not dry_run:
                    suspension_open(
                        number=number,
                        cause=cause,
                        reason=reason,
                        subscriber=subscriber,
                        campaign=linked,
                    )
    return actions
