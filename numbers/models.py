from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from numbers import patterns


class Operator(models.TextChoices):
    UNICOM = "unicom", _("China Unicom")
    MOBILE = "mobile", _("China Mobile")
    TELECOM = "telecom", _("China Telecom")


class Pattern(models.TextChoices):
    """The vanity classes of DESIGN.md; values are the URL slugs."""

    A3 = "a3", _("Triple ending")
    A4 = "a4", _("Four of a kind")
    A5 = "a5", _("Five of a kind")
    A6 = "a6", _("Six of a kind")
    AABB = "aabb", "AABB"
    ABAB = "abab", "ABAB"
    ABBA = "abba", "ABBA"
    AABBCC = "aabbcc", "AABBCC"
    ABCABC = "abcabc", "ABCABC"
    ABABAB = "ababab", "ABABAB"
    RUN3 = "run3", _("Three rising")
    RUN4 = "run4", _("Four rising")
    RUN5 = "run5", _("Five rising")
    DOWN4 = "down4", _("Four falling")


class Prefix(models.Model):
    """The first four digits of a 400 number, which tell its operator."""

    digits = models.CharField(
        _("prefix"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^400[0-9]$", _("A prefix is 400 followed by one digit."))],
    )
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)

    class Meta:
        ordering = ["digits"]
        verbose_name = _("prefix")
        verbose_name_plural = _("prefixes")

    def __str__(self):
        return f"{self.digits} · {self.get_operator_display()}"


class Plan(models.Model):
    """A tariff (资费套餐): what renting a number costs and includes."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    annual_fee = models.PositiveIntegerField(_("annual fee (yuan)"))
    included_minutes = models.PositiveIntegerField(_("included minutes per month"), default=0)
    per_minute_fen = models.PositiveIntegerField(
        _("rate beyond included minutes (fen per minute)"), default=0
    )
    perks = models.CharField(_("perks"), max_length=200, blank=True, help_text=_("e.g. 送彩铃"))

    class Meta:
        ordering = ["annual_fee", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name

    @property
    def monthly_minimum(self) -> int:
        """The monthly spend the annual fee implies, in whole yuan (rounded up)."""
        return -(-self.annual_fee // 12)


class Status(models.TextChoices):
    AVAILABLE = "available", _("Available")
    HELD = "held", _("Reserved")
    ACTIVE = "active", _("In service")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class NumberQuerySet(models.QuerySet):
    def orderable(self, now=None):
        """Available, or held by a hold that has run out (it counts as available)."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Status.AVAILABLE) | Q(status=Status.HELD, hold_expires_at__lte=now)
        )

    def listed(self):
        """Shown in the catalogue: orderable or currently held."""
        return self.filter(status__in=[Status.AVAILABLE, Status.HELD])

    def featured(self):
        return self.listed().filter(featured=True)


class Number(models.Model):
    number = models.CharField(
        _("number"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                f"^{patterns.NUMBER_RE}$", _("A 400 number is ten digits starting with 400.")
            )
        ],
    )
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    price = models.PositiveIntegerField(_("price (yuan per year)"), db_index=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = NumberQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("number")
        verbose_name_plural = _("numbers")
        indexes = [models.Index(fields=["status", "featured"], name="number_status_featured")]

    def __str__(self):
        return self.formatted

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("numbers:detail", args=[self.number])

    @property
    def formatted(self) -> str:
        return patterns.format_number(self.number)

    @property
    def vanity_patterns(self) -> list[Pattern]:
        return [Pattern(slug) for slug in patterns.classify(self.number)]

    def derive(self, operators: dict[str, str] | None = None) -> None:
        """Fill what the digits decide: the operator, from the prefix table."""
        if operators is None:
            prefix = Prefix.objects.filter(digits=self.number[:4]).first()
            operators = {prefix.digits: prefix.operator} if prefix else {}
        self.operator = operators.get(self.number[:4], self.operator)
