"""Real-name verification: agents, subscribers (400用户), their documents and reviews,
verification campaigns, complaints and the suspensions they cause.

Evidence is never edited or deleted: documents, reviews, access logs and status
histories refuse ``delete()`` (one row or a whole queryset), and a stored
document's file, hash and facts never change once written.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import StatusChange, StatusMachine
from accounts.roles import AGENTS, is_agent, is_reviewer
from compliance import checklist, crypto
from compliance.checklist import (
    DocumentKind,
    DocumentStatus,
    Requirement,
    SubscriberStatus,
)
from numbers.models import Number, NumberStatus
from offices.models import Office


class KeptForever(Exception):
    """Raised when code tries to delete evidence that must be kept."""


class KeepQuerySet(models.QuerySet):
    def delete(self):
        raise KeptForever(f"{self.model._meta.verbose_name_plural} are kept; nothing is deleted.")


class KeptModel(models.Model):
    """A row that is evidence: it may be read, never deleted."""

    objects = KeepQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise KeptForever(f"{self._meta.verbose_name} #{self.pk} is kept; nothing is deleted.")


class AppendOnlyModel(KeptModel):
    """A log row: written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise KeptForever(f"{self._meta.verbose_name} #{self.pk} cannot be changed.")
        super().save(*args, **kwargs)


# --- Agents -------------------------------------------------------------------------------


class Agent(models.Model):
    """The business profile of a user in the agents group (代理商)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="agent_profile",
    )
    company = models.CharField(_("company"), max_length=120)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["company"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self):
        return f"{self.company} ({self.user.get_username()})"


# --- Subscribers ----------------------------------------------------------------------------


class SubscriberQuerySet(KeepQuerySet):
    def visible_to(self, user):
        if is_reviewer(user):
            return self.all()
        if is_agent(user):
            return self.filter(agent=user)
        return self.none()

    def not_verified(self):
        return self.exclude(status=SubscriberStatus.VERIFIED)


class Subscriber(KeptModel):
    """A company that holds 400 numbers and must be verified with real documents."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="subscribers",
        limit_choices_to={"groups__name": AGENTS},
    )
    company_name = models.CharField(_("company name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_rep_name = models.CharField(_("legal representative"), max_length=60)
    legal_rep_id_encrypted = models.TextField(_("legal representative's ID number (encrypted)"))
    legal_rep_id_hash = models.CharField(
        _("ID number look-up hash"), max_length=64, db_index=True, editable=False
    )
    legal_rep_id_masked = models.CharField(
        _("legal representative's ID number"), max_length=18, editable=False
    )
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    handled_by_legal_rep = models.BooleanField(
        _("the legal representative handles the application"), default=True
    )
    licence_predates_unified_code = models.BooleanField(
        _("licence issued before the unified social credit code"), default=False
    )
    numbers = models.ManyToManyField(
        Number,
        verbose_name=_("numbers held"),
        through="Holding",
        related_name="subscribers",
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.INCOMPLETE,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [("reveal_id_number", _("Can reveal ID numbers"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubscriberStatus.values), name="subscriber_status_known"
            )
        ]

    def __str__(self):
        return self.company_name

    def get_absolute_url(self):
        return reverse("agent:subscriber", args=[self.pk])

    def set_legal_rep_id(self, value: str) -> None:
        value = crypto.normalise_id_number(value)
        self.legal_rep_id_encrypted = crypto.encrypt(value)
        self.legal_rep_id_hash = crypto.lookup_hash(value)
        self.legal_rep_id_masked = crypto.mask_id_number(value)

    def reveal_legal_rep_id(self) -> str:
        """The plain ID number; callers must log who saw it (services.subscriber_reveal_id)."""
        return crypto.decrypt(self.legal_rep_id_encrypted)

    def required_kinds(self) -> list[DocumentKind]:
        return checklist.required_kinds(
            handled_by_legal_rep=self.handled_by_legal_rep,
            licence_predates_unified_code=self.licence_predates_unified_code,
            numbers_held=self.holdings.count(),
        )

    def checklist(self, today: date | None = None) -> list[Requirement]:
        """Each required document and how far it has got, in the order agents collect them."""
        today = today or timezone.localdate()
        current = list(self.documents.current())
        return [checklist.requirement(kind, current, today) for kind in self.required_kinds()]

    def derived_status(self, today: date | None = None) -> SubscriberStatus:
        return checklist.subscriber_status(self.checklist(today))


class Holding(KeptModel):
    """A number held by a subscriber; a number belongs to one subscriber at a time."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="holdings"
    )
    number = models.OneToOneField(
        Number, verbose_name=_("number"), on_delete=models.PROTECT, related_name="holding"
    )
    order = models.OneToOneField(
        "numbers.Order",
        verbose_name=_("from order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holding",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("number held")
        verbose_name_plural = _("numbers held")

    def __str__(self):
        return str(self.number)


class SubscriberStatusChange(StatusChange, AppendOnlyModel):  # noqa: DJ008 - __str__ from StatusChange
    """One change of a subscriber's derived status, and what caused it."""

    subject = "subscriber"

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=25, choices=SubscriberStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=25, choices=SubscriberStatus.choices)

    class Meta(StatusChange.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber status change")
        verbose_name_plural = _("subscriber status changes")


# The fields that say who the subscriber is: documents attest them, so changing one
# sends the documents that attest it back to review (services.subscriber_update).
IDENTITY_FIELDS = {
    "company_name": ("business_licence", "supplementary_agreement"),
    "legal_rep_name": ("business_licence", "legal_rep_id_front", "legal_rep_id_back"),
}


class SubscriberChange(AppendOnlyModel):
    """One field of a subscriber changed by staff: who, when, from what to what."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="changes"
    )
    field = models.CharField(_("field"), max_length=40)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("subscriber change")
        verbose_name_plural = _("subscriber change log")

    def __str__(self):
        return f"{self.subscriber}: {self.field}"


# --- Documents ------------------------------------------------------------------------------


class RejectionReason(models.TextChoices):
    ILLEGIBLE = "illegible", _("Illegible")
    EXPIRED = "expired", _("Expired")
    NAME_MISMATCH = "name_mismatch", _("Name does not match")
    MISSING_PAGE = "missing_page", _("Page missing")
    TAMPERED = "tampered", _("Altered or tampered with")
    SEAL_MISSING = "seal_missing", _("Company seal missing")
    OTHER = "other", _("Other")


# What the agent should do about each rejection, shown next to the reason.
REJECTION_ADVICE = {
    RejectionReason.ILLEGIBLE: _(
        "Scan or photograph the original again in good light, flat and in focus."
    ),
    RejectionReason.EXPIRED: _("Upload a document that is still valid."),
    RejectionReason.NAME_MISMATCH: _(
        "The names must match the subscriber's details exactly; check both and upload again."
    ),
    RejectionReason.MISSING_PAGE: _("Upload every page of the document in one file."),
    RejectionReason.TAMPERED: _("Upload an unedited scan of the original document."),
    RejectionReason.SEAL_MISSING: _("Have the company seal applied, then scan it again."),
    RejectionReason.OTHER: _("Read the reviewer's note and upload a corrected document."),
}

# Fields fixed when a document is stored; only the review fields may change later.
_DOCUMENT_FACTS = (
    "subscriber_id",
    "kind",
    "stored_name",
    "display_name",
    "sha256",
    "display_sha256",
    "size",
    "file_type",
    "content_type",
    "original_name",
    "uploaded_by_id",
    "uploaded_ip",
    "uploaded_at",
    "valid_until",
)


class DocumentQuerySet(KeepQuerySet):
    def visible_to(self, user):
        if is_reviewer(user):
            return self.all()
        if is_agent(user):
            return self.filter(subscriber__agent=user)
        return self.none()

    def current(self):
        """Not superseded: what the checklist is judged by."""
        return self.exclude(status=DocumentStatus.SUPERSEDED)

    def awaiting_review(self):
        return self.filter(status=DocumentStatus.PENDING)

    def stored_bytes(self) -> int:
        """What these documents take in storage, superseded ones included (they are
        evidence): each original and its re-encoded copy."""
        return self.aggregate(total=Sum(F("size") + F("display_size")))["total"] or 0


class Document(StatusMachine, KeptModel):
    """A stored scan or signed form. Its file and facts never change; a new upload
    supersedes it. Its reviews are its status history."""

    TRANSITIONS = {
        DocumentStatus.PENDING: frozenset(
            {DocumentStatus.APPROVED, DocumentStatus.REJECTED, DocumentStatus.SUPERSEDED}
        ),
        # Back to the queue when the details it attests change (services.subscriber_update).
        DocumentStatus.APPROVED: frozenset({DocumentStatus.SUPERSEDED, DocumentStatus.PENDING}),
        DocumentStatus.REJECTED: frozenset({DocumentStatus.SUPERSEDED}),
        DocumentStatus.SUPERSEDED: frozenset(),
    }

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    stored_name = models.CharField(_("stored file"), max_length=100, unique=True, editable=False)
    display_name = models.CharField(
        _("re-encoded copy"), max_length=100, blank=True, editable=False
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    display_sha256 = models.CharField(
        _("SHA-256 of the re-encoded copy"), max_length=64, blank=True, editable=False
    )
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    display_size = models.PositiveIntegerField(
        _("size of the re-encoded copy (bytes)"), default=0, editable=False
    )
    file_type = models.CharField(_("detected type"), max_length=10, editable=False)
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    original_name = models.CharField(_("original file name"), max_length=120, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    uploaded_ip = models.GenericIPAddressField(_("uploaded from"), null=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_known"
            ),
            # One document of a kind waits for review, and one is approved, at a time.
            models.UniqueConstraint(
                fields=["subscriber", "kind"],
                condition=Q(status=DocumentStatus.PENDING),
                name="document_one_pending_per_kind",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "kind"],
                condition=Q(status=DocumentStatus.APPROVED),
                name="document_one_approved_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subscriber} · #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*_DOCUMENT_FACTS).get()
            changed = [f for f in _DOCUMENT_FACTS if stored[f] != getattr(self, f)]
            if changed:
                raise KeptForever(f"Document #{self.pk} is evidence: {changed} cannot change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agent:document", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.file_type in ("jpeg", "png")

    def is_expired(self, today: date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (today or timezone.localdate())

    def latest_review(self) -> "DocumentReview | None":
        return self.reviews.order_by("-reviewed_at", "-pk").first()

    def transition(self, new: DocumentStatus) -> None:
        """Move to ``new`` if the map allows it. Caller saves and records the review."""
        self.check_transition(new)
        self.status = new


class DocumentReview(AppendOnlyModel):
    """One reviewer's decision on one document: the review log no one can edit."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("review log")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approved", reason="")
                | (Q(decision="rejected") & ~Q(reason="")),
                name="review_rejection_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.document}"

    @property
    def advice(self):
        return REJECTION_ADVICE.get(self.reason, "")


class DocumentAccess(AppendOnlyModel):
    """Someone looked at or downloaded a document."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    as_download = models.BooleanField(_("downloaded the original"), default=False)
    accessed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("document access")
        verbose_name_plural = _("document access log")

    def __str__(self):
        return f"{self.user} · {self.document} · {self.accessed_at:%Y-%m-%d %H:%M}"


class IdNumberReveal(AppendOnlyModel):
    """Staff saw a legal representative's full ID number, or tied one to a subscriber.

    A search by full ID number tells the searcher whose number it is, so it is logged
    like a reveal: a row per subscriber found, or one without a subscriber when none was.
    """

    class Action(models.TextChoices):
        REVEAL = "reveal", _("revealed the full number")
        SEARCH = "search", _("searched by the full number")

    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.REVEAL
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Masked like everywhere else: the log itself must not hold the number in clear.
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    revealed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-revealed_at", "-pk"]
        verbose_name = _("ID number reveal")
        verbose_name_plural = _("ID number reveal log")

    def __str__(self):
        whose = self.subscriber or self.id_number_masked
        return f"{self.user} · {whose} · {self.revealed_at:%Y-%m-%d %H:%M}"


# --- Campaigns, complaints, suspensions ----------------------------------------------------


class CampaignQuerySet(KeepQuerySet):
    def past_deadline(self, now=None):
        return self.filter(is_active=True, deadline__lte=now or timezone.now())


class Campaign(KeptModel):
    """A verification drive: every subscriber must be verified by the deadline."""

    title = models.CharField(_("title"), max_length=120)
    deadline = models.DateTimeField(_("deadline"))
    notice_url = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("Address of the published notice, e.g. /news/verification-2026/"),
    )
    is_active = models.BooleanField(_("enforced"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("verification campaign")
        verbose_name_plural = _("verification campaigns")

    def __str__(self):
        return self.title


class ComplaintKind(models.TextChoices):
    HARASSMENT = "harassment", _("Harassing calls")
    OUTBOUND = "outbound", _("Outbound calls showing the 400 number")
    FRAUD = "fraud", _("Suspected fraud")
    OTHER = "other", _("Other")


class Complaint(KeptModel):
    """A complaint about a number; recording it suspends the number at once."""

    number = models.ForeignKey(
        Number,
        verbose_name=_("number"),
        on_delete=models.PROTECT,
        related_name="complaints",
        # Only a number in service can be complained about (and suspended).
        limit_choices_to={"status__in": [NumberStatus.ACTIVE, NumberStatus.SUSPENDED]},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ComplaintKind.choices)
    details = models.TextField(_("details"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self):
        return f"{self.number} · {self.get_kind_display()}"


class SuspensionCause(models.TextChoices):
    DEADLINE = "deadline", _("Not verified by the campaign deadline")
    EXPIRED = "expired", _("A required document has expired")
    COMPLAINT = "complaint", _("Complaint")


# Causes that verification itself cures: approval lifts these, never a complaint.
CURED_BY_VERIFICATION = (SuspensionCause.DEADLINE, SuspensionCause.EXPIRED)


class SuspensionQuerySet(KeepQuerySet):
    def open(self):
        return self.filter(lifted_at__isnull=True)


class Suspension(KeptModel):
    """Why a number was shut off (关停), and when and why it came back."""

    number = models.ForeignKey(
        Number, verbose_name=_("number"), on_delete=models.PROTECT, related_name="suspensions"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suspensions",
    )
    cause = models.CharField(_("cause"), max_length=20, choices=SuspensionCause.choices)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, null=True, blank=True
    )
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    suspended_at = models.DateTimeField(_("suspended"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_reason = models.CharField(_("why lifted"), max_length=200, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when verification lifted it."),
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-suspended_at", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            # Running enforcement twice finds the open row and adds nothing.
            models.UniqueConstraint(
                fields=["number", "cause"],
                condition=Q(lifted_at__isnull=True) & ~Q(cause="complaint"),
                name="suspension_one_open_per_number_and_cause",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.get_cause_display()}"


class CampaignReminder(AppendOnlyModel):
    """An agent was reminded of a campaign's deadline (once per campaign and agent)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reminders"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agent"], name="reminder_once_per_agent")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.agent}"
