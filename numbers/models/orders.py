"""Orders: a customer's order of a number, its history, and call-back leads."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import StatusChange, StatusMachine
from accounts.roles import AGENTS
from numbers.companies import company_key
from numbers.models.catalogue import Number, NumberStatus
from numbers.references import REFERENCE_LENGTH, new_reference


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# An open order holds its number; at most one per number (Order.Meta.constraints).
OPEN_ORDER_STATUSES = (
    OrderStatus.SUBMITTED,
    OrderStatus.CONFIRMED,
    OrderStatus.AWAITING_VERIFICATION,
)
# An order that ended without going into service; every other order still counts.
ENDED_ORDER_STATUSES = (OrderStatus.CANCELLED, OrderStatus.EXPIRED)

# The way an order normally goes, for the timeline on the order page.
ORDER_PATH = (
    OrderStatus.SUBMITTED,
    OrderStatus.CONFIRMED,
    OrderStatus.AWAITING_VERIFICATION,
    OrderStatus.ACTIVE,
)


# The holds of one customer are counted by each of these (column → its slot's prefix).
HOLD_KEYS = {"mobile": "mobile", "company_key": "company", "client_address": "address"}


def hold_limits() -> dict[str, int]:
    """How many unconfirmed holds one mobile, company and client address may have (0: any)."""
    return {
        "mobile": settings.HOLD_LIMIT_PER_MOBILE,
        "company": settings.HOLD_LIMIT_PER_COMPANY,
        "address": settings.HOLD_LIMIT_PER_ADDRESS,
    }


class OrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ORDER_STATUSES)

    def going_ahead(self):
        """Not cancelled or expired: open, or in service."""
        return self.exclude(status__in=ENDED_ORDER_STATUSES)

    def assigned_to(self, user):
        return self.filter(agent=user)

    def holding(self, now=None):
        """Unconfirmed orders whose number is still held for them: the holds limits count.

        Staff-confirmed orders are left out (staff vouch for them), and so are holds that
        ran out or that staff let go, before any clean-up job has run.
        """
        now = now or timezone.now()
        return self.filter(
            status=OrderStatus.SUBMITTED,
            number__status=NumberStatus.HELD,
            number__hold_expires_at__gt=now,
        )

    def with_holds_alike(self, now=None):
        """Annotated with the unconfirmed holds of each order's mobile, company and client
        address (``mobile_holds``, ``company_holds``, ``address_holds``), in one query."""
        holding = self.model._default_manager.holding(now).order_by()

        def holds_of(column):
            alike = holding.filter(**{column: OuterRef(column)}).values(column)
            return Coalesce(Subquery(alike.annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(
            **{f"{slot}_holds": holds_of(column) for column, slot in HOLD_KEYS.items()}
        )

    def possible_sweep(self, now=None):
        """Unconfirmed holds whose mobile, company or client address has used up its limit:
        one customer reserving numbers by the handful, for staff to look at."""
        used_up = Q()
        for slot, limit in hold_limits().items():
            if limit:
                used_up |= Q(**{f"{slot}_holds__gte": limit})
        if not used_up:
            return self.none()
        return self.holding(now).with_holds_alike(now).filter(used_up)

    def with_expired_hold(self, now=None):
        """Submitted orders whose number's hold has run out."""
        now = now or timezone.now()
        return self.filter(
            status=OrderStatus.SUBMITTED,
            number__status=NumberStatus.HELD,
            number__hold_expires_at__lte=now,
        )


class Order(StatusMachine, models.Model):
    # Every allowed status change; anything else is refused by services.order_transition.
    # Only a submitted order expires: once staff confirm it, the hold no longer runs out.
    TRANSITIONS = {
        OrderStatus.SUBMITTED: frozenset(
            {OrderStatus.CONFIRMED, OrderStatus.CANCELLED, OrderStatus.EXPIRED}
        ),
        OrderStatus.CONFIRMED: frozenset(
            {OrderStatus.AWAITING_VERIFICATION, OrderStatus.CANCELLED}
        ),
        OrderStatus.AWAITING_VERIFICATION: frozenset({OrderStatus.ACTIVE, OrderStatus.CANCELLED}),
        OrderStatus.ACTIVE: frozenset(),
        OrderStatus.CANCELLED: frozenset(),
        OrderStatus.EXPIRED: frozenset(),
    }

    reference = models.CharField(
        _("reference"), max_length=REFERENCE_LENGTH, unique=True, default=new_reference
    )
    number = models.ForeignKey(
        Number, verbose_name=_("number"), on_delete=models.PROTECT, related_name="orders"
    )
    name = models.CharField(_("contact name"), max_length=50)
    company = models.CharField(_("company name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_orders",
        limit_choices_to={"groups__name": AGENTS},
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    # Who holds what, for the hold limits and the sweep view in admin.
    company_key = models.CharField(
        _("company name, folded"), max_length=100, editable=False, default="", db_index=True
    )
    client_address = models.GenericIPAddressField(
        _("client address"), null=True, blank=True, editable=False, db_index=True
    )
    # A submitted order's place among the orders of its mobile, company and client address:
    # 1, 2, …, unique among submitted orders (Meta.constraints), so two orders placed at the
    # same moment cannot both take the last one the limit leaves (services._free_place).
    # 0: none taken (no limit or no address, or contact details staff corrected).
    mobile_hold_slot = models.PositiveSmallIntegerField(
        _("place among the mobile's holds"), default=0, editable=False
    )
    company_hold_slot = models.PositiveSmallIntegerField(
        _("place among the company's holds"), default=0, editable=False
    )
    address_hold_slot = models.PositiveSmallIntegerField(
        _("place among the address's holds"), default=0, editable=False
    )
    status = models.CharField(
        _("status"), max_length=25, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("placed"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [
            ("activate_unverified", _("Can put an order in service before verification")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status__in=OPEN_ORDER_STATUSES),
                name="order_one_open_per_number",
                violation_error_message=_("This number already has an open order."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_known"
            ),
            *(
                models.UniqueConstraint(
                    fields=[key, f"{slot}_hold_slot"],
                    condition=Q(status=OrderStatus.SUBMITTED, **{f"{slot}_hold_slot__gt": 0}),
                    name=f"order_one_{slot}_hold_per_place",
                )
                for key, slot in HOLD_KEYS.items()
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        self.company_key = self.company_key_of(self.company)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "company" in update_fields:
            kwargs["update_fields"] = {*update_fields, "company_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.reference])

    @classmethod
    def company_key_of(cls, company: str) -> str:
        # NFKC may lengthen a name (㍿ → 株式会社): the key is cut to fit its column.
        return company_key(company)[: cls._meta.get_field("company_key").max_length]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def is_going_ahead(self) -> bool:
        return self.status not in ENDED_ORDER_STATUSES

    # The order page opens with a signed link (from the e-mails and the page itself) or
    # after the customer proves the mobile used; the reference alone opens nothing. The
    # link works while the order is open and ORDER_LINK_DAYS after it closes.
    _signer = signing.Signer(salt="numbers.order-page")

    def access_key(self) -> str:
        return self._signer.sign(self.reference).rsplit(self._signer.sep, 1)[1]

    def has_access_key(self, key: str) -> bool:
        try:
            return self._signer.unsign(f"{self.reference}{self._signer.sep}{key}") == self.reference
        except signing.BadSignature:
            return False

    def get_signed_url(self) -> str:
        return f"{self.get_absolute_url()}?key={self.access_key()}"

    @property
    def closed_at(self):
        """When the order stopped being open (None while open): its move to the status it
        is in now, or the end of its lapsed hold."""
        if self.hold_lapsed:
            return self.number.hold_expires_at
        if self.is_open:
            return None
        moved = self.events.filter(to_status=self.status).exclude(from_status=self.status)
        return moved.order_by("-created_at").values_list("created_at", flat=True).first() or (
            self.updated_at
        )

    def link_is_live(self, now=None) -> bool:
        """Whether the signed link still opens the order page."""
        closed_at = self.closed_at
        if closed_at is None:
            return True
        lifetime = timedelta(days=settings.ORDER_LINK_DAYS)
        return (now or timezone.now()) < closed_at + lifetime

    @property
    def hold_lapsed(self) -> bool:
        """Submitted, and its number's hold has run out: true before any clean-up job runs."""
        expires = self.hold_expires_at
        return expires is not None and expires <= timezone.now()

    @property
    def status_now(self) -> "OrderStatus":
        """The status as of this moment: a lapsed hold reads as expired, job or no job."""
        return OrderStatus.EXPIRED if self.hold_lapsed else OrderStatus(self.status)

    @property
    def hold_expires_at(self):
        """When the number stops being reserved for this order (None: held until activated)."""
        if self.status == OrderStatus.SUBMITTED and self.number.status == NumberStatus.HELD:
            return self.number.hold_expires_at
        return None

    def timeline(self, events) -> list[dict]:
        """The steps of ORDER_PATH (plus a cancellation or expiry) with when each was reached."""
        reached = {OrderStatus.SUBMITTED: self.created_at}
        for event in events:
            if event.to_status != event.from_status:
                reached.setdefault(event.to_status, event.created_at)
        steps = [{"status": s, "label": s.label, "at": reached.get(s)} for s in ORDER_PATH]
        if self.status in ENDED_ORDER_STATUSES:
            steps = [step for step in steps if step["at"]]
            status = OrderStatus(self.status)
            steps.append({"status": status, "label": status.label, "at": reached.get(status)})
        for step in steps:
            step["state"] = (
                "current" if step["status"] == self.status else "done" if step["at"] else "upcoming"
            )
        return steps


class OrderEvent(StatusChange):
    """One change to an order: a move of its status, or (from = to) an assignment."""

    subject = "order"

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=25, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=25, choices=OrderStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("order history entry")
        verbose_name_plural = _("order history")


class CallbackRequest(models.Model):
    """A visitor asking to be called back (免费400电话开通): a lead for staff to work through."""

    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    message = models.TextField(_("what they need"), max_length=1000, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    handled = models.BooleanField(_("handled"), default=False)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        ordering = ["handled", "-created_at"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")

    def __str__(self):
        return f"{self.name} · {self.mobile}"
