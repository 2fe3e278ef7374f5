"""Every write of real-name verification that touches several rows or has side effects."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.roles import AGENTS
from compliance import crypto, notifications, quotas, storage
from compliance.filecheck import InspectedFile, UploadRejected, safe_display_name
from compliance.models import (
    CURED_BY_VERIFICATION,
    IDENTITY_FIELDS,
    Agent,
    Campaign,
    CampaignReminder,
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
    SubscriberChange,
    SubscriberStatus,
    SubscriberStatusChange,
    Suspension,
    SuspensionCause,
)
from numbers.models import Number, NumberStatus, Order, OrderStatus
from numbers.services import (
    OrderError,
    number_restore,
    number_suspend,
    order_note,
    order_transition,
)
from offices.models import Office

logger = logging.getLogger(__name__)

# Days before a campaign's deadline that agents are reminded of what is still missing.
REMINDER_DAYS = 7


def _say(message: str, **params) -> str:
    """A history note or reason written by the system, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
        return text % params if params else text


def say_edited_in_admin(user: AbstractBaseUser) -> str:
    return _say(gettext_noop("Edited in admin by %(user)s."), user=user.get_username())


# --- Agents and subscribers ------------------------------------------------------------------


@transaction.atomic
def agent_create(
    *,
    username: str,
    company: str,
    office: Office | None = None,
    email: str = "",
    password: str | None = None,
) -> tuple[AbstractBaseUser, str | None]:
    """Make ``username`` an agent (user, profile, group); return the user and the password
    set, when one was made up for a new user."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    made_up = None
    if created:
        made_up = None if password else secrets.token_urlsafe(12)
        user.set_password(password or made_up)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=AGENTS)[0])
    Agent.objects.update_or_create(user=user, defaults={"company": company, "office": office})
    return user, made_up


@transaction.atomic
def agent_set_active(*, agent: Agent, active: bool) -> None:
    """Let an agent log in, or stop it: its subscribers, orders and history all stay."""
    user = agent.user
    user.is_active = active
    user.save(update_fields=["is_active"])


def order_verification_blocker(order: Order) -> str:
    """Why real-name rules keep ``order`` out of service ("" when they do not).

    Registered with numbers.services as an activation check (ComplianceConfig.ready).
    """
    holding = Holding.objects.filter(number_id=order.number_id).select_related("subscriber").first()
    if holding is None:
        return _(
            "No subscriber holds number %(number)s yet: the agent registers the company and "
            "uploads its documents first."
        ) % {"number": order.number.formatted}
    subscriber = holding.subscriber
    if subscriber.status != SubscriberStatus.VERIFIED:
        return _("Subscriber %(company)s is not verified yet (%(status)s).") % {
            "company": subscriber.company_name,
            "status": subscriber.get_status_display(),
        }
    return ""


@transaction.atomic
def subscriber_update(
    *, subscriber: Subscriber, changes: dict[str, object], actor: AbstractBaseUser
) -> list[SubscriberChange]:
    """Apply staff's changes to a subscriber, logging each with the actor.

    A changed identity field (company name, legal representative) sends the approved
    documents that attest it back to review: a verified subscriber stops being verified
    until a reviewer has looked at them against the new details.
    """
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    logged, to_review = [], set()
    for field, value in changes.items():
        old = getattr(subscriber, field)
        if old == value:
            continue
        setattr(subscriber, field, value)
        logged.append(
            SubscriberChange.objects.create(
                subscriber=subscriber,
                field=field,
                old_value=str(old)[:200],
                new_value=str(value)[:200],
                actor=actor,
            )
        )
        to_review.update(IDENTITY_FIELDS.get(field, ()))
    if not logged:
        return []
    subscriber.save(update_fields=[change.field for change in logged])
    for document in subscriber.documents.filter(kind__in=to_review, status=DocumentStatus.APPROVED):
        _reopen(document, subscriber)
    labels = ", ".join(str(Subscriber._meta.get_field(c.field).verbose_name) for c in logged)
    subscriber_refresh_status(
        subscriber=subscriber,
        reason=_say(gettext_noop("Changed by %(user)s: %(fields)s"), user=actor, fields=labels),
    )
    return logged


def _reopen(document: Document, subscriber: Subscriber) -> None:
    """An approved document goes back to the queue, unless a newer one of its kind waits
    there already: then that one decides, and this one steps aside."""
    waiting = subscriber.documents.filter(kind=document.kind, status=DocumentStatus.PENDING).first()
    if waiting:
        _supersede(document, by=waiting)
    else:
        document.transition(DocumentStatus.PENDING)
        document.save(update_fields=["status"])


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
    *,
    subscriber: Subscriber,
    number: Number,
    order: Order | None = None,
    confirmed_by: AbstractBaseUser | None = None,
) -> Holding:
    """Record that the subscriber holds ``number``; a second number asks for a statement.

    ``confirmed_by``: the agent who confirmed an order placed under another company name;
    the order's history keeps it.
    """
    holding = Holding.objects.create(subscriber=subscriber, number=number, order=order)
    if order is not None and confirmed_by is not None:
        order_note(
            order=order,
            actor=confirmed_by,
            note=_say(
                gettext_noop(
                    "%(user)s confirmed that this order (company “%(order_company)s”) belongs "
                    "to subscriber “%(company)s”."
                ),
                user=confirmed_by.get_username(),
                order_company=order.company,
                company=subscriber.company_name,
            ),
        )
    subscriber_refresh_status(subscriber=subscriber, reason=_say(gettext_noop("Number added.")))
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
            suspension_lift(
                suspension=suspension, reason=_say(gettext_noop("The subscriber is verified."))
            )
        _activate_orders(subscriber)
    return new


def _activate_orders(subscriber: Subscriber) -> None:
    """Orders that waited for this verification go into service (their numbers with them)."""
    waiting = Order.objects.filter(
        holding__subscriber=subscriber, status=OrderStatus.AWAITING_VERIFICATION
    )
    for order in waiting:
        try:
            order_transition(
                order=order,
                to=OrderStatus.ACTIVE,
                note=_say(gettext_noop("The subscriber is verified.")),
            )
        except OrderError:
            # The number is suspended for another cause (a complaint): staff decide.
            logger.warning("Order %s not activated: its number is not free", order.reference)


@transaction.atomic
def subscriber_reveal_id(*, subscriber: Subscriber, user: AbstractBaseUser, ip: str | None) -> str:
    """The full ID number for a reviewer, with a log row saying who saw it."""
    IdNumberReveal.objects.create(
        subscriber=subscriber,
        id_number_masked=subscriber.legal_rep_id_masked,
        user=user,
        ip=ip,
    )
    return subscriber.reveal_legal_rep_id()


@transaction.atomic
def subscriber_find_by_id(
    *, id_number: str, user: AbstractBaseUser, ip: str | None
) -> list[Subscriber]:
    """The subscribers whose legal representative has this full ID number, logged like a
    reveal (it tells the searcher whose number it is), with the number masked."""
    found = list(Subscriber.objects.filter(legal_rep_id_hash=crypto.lookup_hash(id_number)))
    masked = crypto.mask_id_number(id_number)
    IdNumberReveal.objects.bulk_create(
        IdNumberReveal(
            action=IdNumberReveal.Action.SEARCH,
            subscriber=subscriber,
            id_number_masked=masked,
            user=user,
            ip=ip,
        )
        for subscriber in found or [None]
    )
    return found


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
    copy = inspected.sanitized or b""  # an image's clean copy, made when it was inspected
    # The uploader's row, then the subscriber's, always in that order: parallel uploads
    # by one agent or for one subscriber queue here, and each sees what the one before
    # it stored, so together they cannot pass a quota.
    get_user_model().objects.select_for_update().only("pk").get(pk=uploaded_by.pk)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    quotas.check_storage(
        subscriber=subscriber, uploader=uploaded_by, incoming=len(data) + len(copy)
    )
    written: list[str] = []
    try:
        written.append(storage.save(data, inspected.extension))
        display_name = display_sha256 = ""
        if copy:
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
            display_size=len(copy),
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
            subscriber=subscriber,
            reason=_say(gettext_noop("%(kind)s uploaded."), kind=DocumentKind(kind).label),
            actor=uploaded_by,
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
        subscriber=document.subscriber,
        reason=_say(gettext_noop("%(kind)s approved."), kind=document.get_kind_display()),
        actor=reviewer,
    )
    notifications.review_decided(review, site_url)
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
        subscriber=document.subscriber,
        reason=_say(
            gettext_noop("%(kind)s rejected: %(reason)s."),
            kind=document.get_kind_display(),
            reason=review.get_reason_display(),
        ),
        actor=reviewer,
    )
    notifications.review_decided(review, site_url)
    return review


@transaction.atomic
def document_record_access(
    *, document: Document, user: AbstractBaseUser, ip: str | None, as_download: bool
) -> DocumentAccess:
    return DocumentAccess.objects.create(
        document=document, user=user, ip=ip, as_download=as_download
    )


# --- Suspensions ------------------------------------------------------------------------------

# Numbers a complaint can be about: sold ones, in service or already shut off.
COMPLAINABLE_STATUSES = (NumberStatus.ACTIVE, NumberStatus.SUSPENDED)


class NotInService(Exception):
    """A complaint about a number that no customer has: nothing to suspend."""


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
    suspension = Suspension.objects.create(
        number=number,
        subscriber=subscriber,
        cause=cause,
        campaign=campaign,
        complaint=complaint,
        reason=reason[:300],
    )
    notifications.number_suspended(suspension)
    return suspension


@transaction.atomic
def suspension_lift(
    *, suspension: Suspension, reason: str, actor: AbstractBaseUser | None = None
) -> None:
    """Close a suspension; the number returns once no other suspension holds it.

    Lifted by a person (``actor``), it stays lifted: enforcement suspends the number
    again only when its cause recurs (a later campaign, a document expiring later).
    """
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at:
        return
    suspension.lifted_at = timezone.now()
    suspension.lifted_reason = reason[:200]
    suspension.lifted_by = actor
    suspension.save(update_fields=["lifted_at", "lifted_reason", "lifted_by"])
    if not suspension.number.suspensions.open().exists():
        number_restore(number=suspension.number, reason=reason[:500], actor=actor)


@transaction.atomic
def complaint_record(
    *, number: Number, kind: str, details: str, recorded_by: AbstractBaseUser, received_at=None
) -> Complaint:
    """Record a complaint and suspend its number at once, with the complaint as the reason.

    Only a sold number (in service or suspended) can be complained about.
    """
    number = Number.objects.select_for_update().get(pk=number.pk)
    if number.status not in COMPLAINABLE_STATUSES:
        raise NotInService(
            _("Number %(number)s is %(status)s, not in service: no complaint can be recorded.")
            % {"number": number.formatted, "status": number.get_status_display()}
        )
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
        reason=_say(
            gettext_noop("Complaint no. %(pk)s (%(kind)s): %(details)s"),
            pk=complaint.pk,
            kind=complaint.get_kind_display(),
            details=details,
        ),
        subscriber=holding.subscriber if holding else None,
        complaint=complaint,
        actor=recorded_by,
    )
    return complaint


@dataclass(frozen=True)
class EnforcementAction:
    number: Number
    subscriber: Subscriber | None
    cause: SuspensionCause
    reason: str
    campaign: Campaign | None = None

    def __str__(self):
        holder = self.subscriber.company_name if self.subscriber else "-"
        return f"suspend {self.number.number} ({holder}): {self.reason}"


def _lifted_by_staff(number: Number, cause: str, *, campaign=None, after=None) -> bool:
    """A person lifted this cause's suspension and the cause has not recurred since."""
    lifted = number.suspensions.filter(cause=cause, lifted_by__isnull=False)
    if campaign is not None:
        lifted = lifted.filter(campaign=campaign)
    if after is not None:
        lifted = lifted.filter(lifted_at__date__gte=after)
    return lifted.exists()


def verification_enforce(*, now: datetime | None = None, dry_run: bool = False):
    """Suspend the numbers of subscribers who missed a campaign deadline or whose required
    document expired, and, once a deadline has passed, numbers in service that no
    subscriber holds. Numbers already suspended for that cause are left alone, and so are
    those whose suspension staff lifted, until the cause recurs: running it again does
    nothing new. Return the actions taken (or, dry, that would be)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    campaign = Campaign.objects.past_deadline(now).order_by("deadline").first()
    actions = []
    with transaction.atomic():
        for subscriber in Subscriber.objects.prefetch_related("holdings__number"):
            if not dry_run:
                subscriber_refresh_status(
                    subscriber=subscriber,
                    reason=_say(gettext_noop("Enforcement run.")),
                    today=today,
                )
            checklist = subscriber.checklist(today)
            expired = [item for item in checklist if item.state == "expired"]
            verified = all(item.done for item in checklist)
            if expired:
                kinds = ", ".join(str(item.kind.label) for item in expired)
                cause, linked = SuspensionCause.EXPIRED, None
                reason = _say(gettext_noop("Expired: %(kinds)s"), kinds=kinds)
                since = max(item.document.valid_until for item in expired)
            elif campaign and not verified:
                cause, linked, since = SuspensionCause.DEADLINE, campaign, None
                reason = _say(gettext_noop("Not verified by %(title)s"), title=campaign.title)
            else:
                continue
            for holding in subscriber.holdings.all():
                number = holding.number
                in_service = number.status in (NumberStatus.ACTIVE, NumberStatus.SUSPENDED)
                if not in_service or number.suspensions.open().filter(cause=cause).exists():
                    continue
                if _lifted_by_staff(number, cause, campaign=linked, after=since):
                    continue
                actions.append(EnforcementAction(number, subscriber, cause, reason, linked))
        if campaign:
            reason = _say(
                gettext_noop("In service without a subscriber after %(title)s"),
                title=campaign.title,
            )
            unheld = Number.objects.filter(status=NumberStatus.ACTIVE, holding__isnull=True)
            for number in unheld:
                if not _lifted_by_staff(number, SuspensionCause.DEADLINE, campaign=campaign):
                    actions.append(
                        EnforcementAction(number, None, SuspensionCause.DEADLINE, reason, campaign)
                    )
        if not dry_run:
            for action in actions:
                suspension_open(
                    number=action.number,
                    cause=action.cause,
                    reason=action.reason,
                    subscriber=action.subscriber,
                    campaign=action.campaign,
                )
    return actions


def campaign_remind_agents(*, now: datetime | None = None) -> int:
    """E-mail each agent, once per campaign, which subscribers still miss documents when
    the deadline is less than REMINDER_DAYS away. Returns how many agents were reminded."""
    now = now or timezone.now()
    soon = Campaign.objects.filter(
        is_active=True, deadline__gt=now, deadline__lte=now + timedelta(days=REMINDER_DAYS)
    )
    reminded = 0
    for campaign in soon:
        waiting = Subscriber.objects.not_verified().select_related("agent")
        by_agent: dict = {}
        for subscriber in waiting:
            by_agent.setdefault(subscriber.agent, []).append(subscriber)
        done = set(campaign.reminders.values_list("agent_id", flat=True))
        for agent, subscribers in by_agent.items():
            if agent.pk in done or not agent.is_active:
                continue
            with transaction.atomic():
                CampaignReminder.objects.create(campaign=campaign, agent=agent)
                notifications.deadline_nears(
                    agent=agent, campaign=campaign, subscribers=subscribers
                )
            reminded += 1
    return reminded
