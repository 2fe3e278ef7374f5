"""The catalogue: prefixes, plans, numbers and their status machine, search tallies."""

import re
from collections.abc import Iterable
from functools import lru_cache, reduce
from operator import or_ as operator_or

from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.history import StatusChange, StatusMachine
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

    @property
    def description(self) -> str:
        return PATTERN_DESCRIPTIONS[self.value]


PATTERN_DESCRIPTIONS = {
    "a3": _("The last three digits are the same digit, as in 888."),
    "a4": _("The last four digits are the same digit, as in 8888."),
    "a5": _("The last five digits are the same digit, as in 88888."),
    "a6": _("The last six digits are the same digit, as in 888888."),
    "aabb": _("The last four digits are two pairs, as in 6688."),
    "abab": _("The last four digits repeat a pair, as in 6868."),
    "abba": _("The last four digits mirror each other, as in 6886."),
    "aabbcc": _("The last six digits are three pairs, as in 668899."),
    "abcabc": _("The last six digits repeat a group of three, as in 518518."),
    "ababab": _("The last six digits repeat a pair three times, as in 686868."),
    "run3": _("The last three digits climb one by one, as in 789."),
    "run4": _("The last four digits climb one by one, as in 5678."),
    "run5": _("The last five digits climb one by one, as in 56789."),
    "down4": _("The last four digits fall one by one, as in 9876."),
}


class Prefix(models.Model):
    """The first four digits of a 400 number, which tell its operator."""

    # The operators' own allocation; a new database starts from it (seed_demo,
    # seed_numbers, the tests), staff edit it in admin from then on.
    DEFAULTS = {
        "4000": Operator.UNICOM,
        "4006": Operator.UNICOM,
        "4001": Operator.MOBILE,
        "4007": Operator.MOBILE,
        "4008": Operator.TELECOM,
        "4009": Operator.TELECOM,
    }

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

    @classmethod
    def ensure_defaults(cls) -> dict[str, str]:
        """Create the default prefixes that are missing; return the table as it now stands."""
        for digits, operator in cls.DEFAULTS.items():
            cls.objects.get_or_create(digits=digits, defaults={"operator": operator})
        return dict(cls.objects.values_list("digits", "operator"))


class Plan(models.Model):
    """A tariff (资费套餐): what renting a number costs and includes."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(
        _("name in English"), max_length=60, blank=True, help_text=_("Empty: the name is shown.")
    )
    annual_fee = models.PositiveIntegerField(_("annual fee (yuan)"))
    included_minutes = models.PositiveIntegerField(_("included minutes per month"), default=0)
    per_minute_fen = models.PositiveIntegerField(
        _("rate beyond included minutes (fen per minute)"), default=0
    )
    perks = models.CharField(_("perks"), max_length=200, blank=True, help_text=_("e.g. 送彩铃"))
    perks_en = models.CharField(
        _("perks in English"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Free ringback tone. Empty: the perks are shown as above."),
    )

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


class NumberStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    HELD = "held", _("Reserved")
    ACTIVE = "active", _("In service")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class HasDigitPairs(models.Func):
    """``number_digit_pairs(number) @> ARRAY[…]``: the number has all these digit pairs.

    PostgreSQL only (the function and its GIN index come from migration 0007);
    the tokens are integers computed by ``patterns.digit_pair_tokens``.
    """

    function = "number_digit_pairs"
    template = "%(function)s(%(expressions)s) @> ARRAY[%(tokens)s]::int[]"
    output_field = models.BooleanField()

    def __init__(self, tokens: list[int]):
        super().__init__(F("number"), tokens=", ".join(str(int(token)) for token in tokens))


class LacksDigit(models.Func):
    """``number NOT LIKE '400%4%'``: no 4 after the prefix every number starts with.

    A LIKE is far cheaper than a regex per row, and on the column itself the
    planner estimates it from the column's statistics (about half the numbers
    lack a given digit), so a broad exclusion walks an index in the page's order.
    """

    output_field = models.BooleanField()

    def __init__(self, digit: str):
        if len(digit) != 1 or not digit.isdigit():
            raise ValueError(f"not a digit: {digit!r}")
        super().__init__(F("number"))
        self.digit = digit

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} NOT LIKE %s", [*params, f"{patterns.PREFIX}%{self.digit}%"]


class NumberLike(models.Func):
    """``number LIKE '%8_88%'``: cheap enough to test on every entry of an index walk.

    ``field`` may be another column of digits: ``reversed_digits LIKE '88_8%'``.
    """

    output_field = models.BooleanField()

    def __init__(self, pattern: str, field: str = "number"):
        if re.fullmatch(r"[0-9_%]{1,12}", pattern) is None:
            raise ValueError(f"not a digits pattern: {pattern!r}")
        super().__init__(F(field))
        self.pattern = pattern

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} LIKE %s", [*params, self.pattern]


# A digit search matching at least this share of the numbers walks the order's index.
WALK_FROM = 0.002


def digits_share(q: str, pos: str) -> float:
    """Roughly what share of random numbers the search ``q`` at ``pos`` matches."""
    return sum(10.0 ** -len(fixed) for fixed in patterns.placements(q, pos))


def straddling_start(q: str, pos: str) -> Q | None:
    """The numbers where ``q`` anywhere begins inside the "400", as a range of an index.

    "056 anywhere" is also every number that starts 40056: 1 % of all of them, which
    the trigram index of three digits anywhere holds among the rest. Counted from a
    B-tree range instead, they alone are more than the cap at once (see
    ``CappedPaginator``'s ``count_parts``). None for any other search.
    """
    if pos != "any" or len(q) < 3 or not q.isdigit() or q[0] != "0" or q[1] == "0":
        return None
    fixed = patterns.PREFIX + q[1:]
    # (featured in both values: so that the recommended order's covering index, led by
    # ``featured``, is entered at the range for each value)
    return Q(featured__in=[True, False], number__gte=fixed, number__lt=str(int(fixed) + 1))


class NumberQuerySet(models.QuerySet):
    def orderable(self, now=None):
        """Available, or held by a hold that has run out (it counts as available)."""
        now = now or timezone.now()
        return self.filter(
            Q(status=NumberStatus.AVAILABLE) | Q(status=NumberStatus.HELD, hold_expires_at__lte=now)
        )

    def listed(self):
        """Shown in the catalogue: orderable or currently held."""
        return self.filter(status__in=[NumberStatus.AVAILABLE, NumberStatus.HELD])

    def featured(self):
        return self.listed().filter(featured=True)

    def alternatives_to(self, number):
        """Orderable numbers to offer instead of ``number``: same last four digits, or prefix."""
        return (
            self.orderable()
            .exclude(pk=number.pk)
            .filter(
                Q(number__endswith=number.number[-4:]) | Q(number__startswith=number.number[:4])
            )
            .annotate(
                same_ending=models.Case(
                    models.When(number__endswith=number.number[-4:], then=models.Value(0)),
                    default=models.Value(1),
                )
            )
            .order_by("same_ending", "-featured", "price", "number")
        )

    def matching(
        self,
        *,
        q: str = "",
        pos: str = "any",
        pattern: Iterable[str] = (),
        operator: Iterable[str] = (),
        exclude: str = "",
        price_min: int | None = None,
        price_max: int | None = None,
        walk: bool = False,
        prices_by_value: bool = False,
    ):
        """Numbers that meet every given filter of the catalogue's URL contract.

        ``walk`` is for choosing a page's keys by walking the order's index: a
        broad digit search is then a LIKE on the number, evaluated in the index
        (see ``digits_filter``). ``prices_by_value`` writes a price range so that
        no index answers it: with a few digits that narrow far more, the planner
        would otherwise walk the price index and test the digits on each entry
        (60-160 ms at 1,000,000 for "754 anywhere, from ¥3,000", against 20 ms
        from the digits' index).

        Each filter is written so that PostgreSQL can answer it from an index:
        classes from their partial indexes, ``q`` from the digit-pairs index
        (see ``digits_filter``).
        """
        qs = self
        if q:
            qs = qs.filter(self.digits_filter(q, pos, walk=walk, exclude=exclude))
        if pattern:
            qs = qs.filter(
                reduce(operator_or, (Q(**{f"pattern_{slug}": True}) for slug in pattern))
            )
        if operator:
            qs = qs.filter(operator__in=list(operator))
        if exclude:
            for digit in sorted(set(exclude)):
                qs = qs.filter(LacksDigit(digit))
        price = Coalesce(F("price"), F("price")) if prices_by_value else F("price")
        if price_min is not None:
            qs = qs.filter(GreaterThanOrEqual(price, price_min))
        if price_max is not None:
            qs = qs.filter(LessThanOrEqual(price, price_max))
        return qs

    def digits_filter(self, q: str, pos: str, *, walk: bool = False, exclude: str = "") -> Q:
        """The condition "``q`` occurs at ``pos``", in the form the database answers best.

        On PostgreSQL, plain digits at the start or the end are a range of the
        number's (or the reversed digits') B-tree index; three or more anywhere, a
        regex the trigram index answers; at the end with ``*`` but two digits or
        more last, a LIKE on the reversed digits, whose index narrows it to those
        last digits. Otherwise each place ``q`` can sit becomes the digit pairs it
        fixes, looked up in the GIN index of migration 0007 (exact, so no regex is
        run); a place fixing a single digit is broad and stays a regex. Elsewhere
        (SQLite) one regex says it all.

        With ``walk``, a search that matches more than ``WALK_FROM`` of the
        numbers is a LIKE instead (``*`` is its ``_``): a page in the order's
        index is found within a few thousand index entries, where the look-up
        would fetch every match from the table to sort them.

        A place that puts one of the ``exclude`` digits after the prefix cannot match; when
        none is left there is nothing to look up ("078 anywhere, without 7": 1-2 s
        at 10,000,000 numbers to find none).
        """
        places = [
            fixed for fixed in patterns.placements(q, pos) if not set(fixed.values()) & set(exclude)
        ]
        if not places:
            return Q(pk__in=[])
        if not all(places):
            return Q()  # q lies within the "400" every number starts with
        if connections[self.db].vendor != "postgresql":
            if pos == "end":
                return Q(reversed_digits__regex=patterns.reversed_tail_regex(q))
            return Q(number__regex=patterns.wildcard_regex(q, pos))
        if walk and digits_share(q, pos) >= WALK_FROM:
            like = {"any": f"%{q}%", "start": f"{patterns.PREFIX}{q}%", "end": f"%{q}"}[pos]
            return Q(NumberLike(like.replace("*", "_")))
        if "*" not in q and pos == "any" and len(q) >= 3:
            # Plain digits anywhere: the trigram index (migration 0002) answers them (as a
            # regex, which the planner estimates as rare, so it takes that index).
            return Q(number__regex=q)
        if "*" not in q and pos in ("start", "end"):
            # A plain run of digits: a range of one B-tree index says it exactly.
            if pos == "end":
                return Q(reversed_digits__startswith=q[::-1])
            # (featured in both values: so that an index led by ``featured`` is
            # entered at the range for each value instead of walked from its start)
            fixed = patterns.PREFIX + q
            return Q(featured__in=[True, False], number__gte=fixed, number__lt=str(int(fixed) + 1))
        if pos == "end" and len(q.rsplit("*", 1)[-1]) >= 2:
            # At most 1 % of the numbers share the last two digits: testing them inside
            # the covering index is cheaper than fetching each digit-pairs match from the
            # table to check and sort it.
            return Q(NumberLike(q[::-1].replace("*", "_") + "%", field="reversed_digits"))
        return reduce(
            operator_or,
            (
                Q(HasDigitPairs(patterns.digit_pair_tokens(fixed)))
                if len(fixed) > 1
                else Q(
                    number__regex="^" + "".join(fixed.get(i, ".") for i in range(max(fixed) + 1))
                )
                for fixed in places
            ),
        )

    def sorted_by(self, sort: str = ""):
        """Order by one of the contract's ``sort`` values; each has a matching index."""
        return self.order_by(*SORTS.get(sort, SORTS[""]))

    def similar_to(self, number: "Number"):
        """Listed numbers sharing a class or the last three digits with ``number``."""
        same = Q(reversed_digits__startswith=number.reversed_digits[:3])
        for slug in patterns.classify(number.number):
            same |= Q(**{f"pattern_{slug}": True})
        return self.listed().filter(same).exclude(pk=number.pk)


class Sort(models.TextChoices):
    """The catalogue's ``sort`` values (DESIGN.md) and their labels."""

    RECOMMENDED = "", _("Recommended")
    PRICE = "price", _("Price, low to high")
    PRICE_DESC = "-price", _("Price, high to low")
    POPULAR = "popular", _("Most viewed")
    NEWEST = "newest", _("Newest")
    NUMBER = "number", _("Number")


# The tie-breakers make pages stable and let PostgreSQL walk one index (forwards or
# backwards) for each order.
SORTS = {
    Sort.RECOMMENDED: ("-featured", "number"),
    Sort.NUMBER: ("number",),
    Sort.PRICE: ("price", "number"),
    Sort.PRICE_DESC: ("-price", "-number"),
    Sort.POPULAR: ("-view_count", "-number"),
    Sort.NEWEST: ("-created_at", "-id"),
}


PATTERN_COLUMNS = [f"pattern_{slug}" for slug in patterns.PATTERN_SLUGS]
PATTERNS = {pattern.value: pattern for pattern in Pattern}
OPERATOR_LABELS = dict(Operator.choices)
DETAIL_PLACEHOLDER = "4000000000"


@lru_cache(maxsize=64)
def _detail_url_parts(language: str, script_prefix: str, resolver) -> tuple[str, str]:
    """A number page's URL around its digits, reversed once per language, prefix and URLconf
    (the arguments, which ``reverse`` reads): a page of 24 cards links 24 numbers."""
    head, _placeholder, tail = reverse("numbers:detail", args=[DETAIL_PLACEHOLDER]).rpartition(
        DETAIL_PLACEHOLDER
    )
    return head, tail


class Number(StatusMachine, models.Model):
    """A 400 number on offer. Its digits never change; its status moves only through
    ``TRANSITIONS`` (numbers.services.number_transition, or the hold an order takes)."""

    TRANSITIONS = {
        NumberStatus.AVAILABLE: frozenset({NumberStatus.HELD, NumberStatus.RETIRED}),
        NumberStatus.HELD: frozenset(
            {NumberStatus.AVAILABLE, NumberStatus.ACTIVE, NumberStatus.RETIRED}
        ),
        NumberStatus.ACTIVE: frozenset({NumberStatus.SUSPENDED, NumberStatus.RETIRED}),
        NumberStatus.SUSPENDED: frozenset({NumberStatus.ACTIVE, NumberStatus.RETIRED}),
        NumberStatus.RETIRED: frozenset(),
    }

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
    price = models.PositiveIntegerField(_("price (yuan per year)"))
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NumberStatus.choices, default=NumberStatus.AVAILABLE
    )
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    # ---- Derived from the digits at save: never typed by hand ----
    # One flag per vanity class, so that each class filters through its own
    # small partial index (and still works on SQLite).
    pattern_a3 = models.BooleanField(Pattern.A3.label, default=False, editable=False)
    pattern_a4 = models.BooleanField(Pattern.A4.label, default=False, editable=False)
    pattern_a5 = models.BooleanField(Pattern.A5.label, default=False, editable=False)
    pattern_a6 = models.BooleanField(Pattern.A6.label, default=False, editable=False)
    pattern_aabb = models.BooleanField(Pattern.AABB.label, default=False, editable=False)
    pattern_abab = models.BooleanField(Pattern.ABAB.label, default=False, editable=False)
    pattern_abba = models.BooleanField(Pattern.ABBA.label, default=False, editable=False)
    pattern_aabbcc = models.BooleanField(Pattern.AABBCC.label, default=False, editable=False)
    pattern_abcabc = models.BooleanField(Pattern.ABCABC.label, default=False, editable=False)
    pattern_ababab = models.BooleanField(Pattern.ABABAB.label, default=False, editable=False)
    pattern_run3 = models.BooleanField(Pattern.RUN3.label, default=False, editable=False)
    pattern_run4 = models.BooleanField(Pattern.RUN4.label, default=False, editable=False)
    pattern_run5 = models.BooleanField(Pattern.RUN5.label, default=False, editable=False)
    pattern_down4 = models.BooleanField(Pattern.DOWN4.label, default=False, editable=False)
    # The digits backwards: a search "at the end" becomes a prefix search.
    reversed_digits = models.CharField(
        _("digits reversed"), max_length=10, default="", editable=False
    )

    objects = NumberQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("number")
        verbose_name_plural = _("numbers")
        indexes = [
            models.Index(fields=["status", "featured"], name="number_status_featured"),
            # One index per sort order, each carrying the status and the digits, so
            # that a page's keys are found by walking it without reading the table ...
            # (the recommended order's also carries what a page's keys are chosen by
            # — status, price, operator, classes — so that counting, a price range,
            # several classes and deep pages read the index alone: numbers.pagination)
            models.Index(
                fields=["-featured", "number"],
                include=["status", "id", "price", "operator", *PATTERN_COLUMNS],
                name="number_featured_first",
            ),
            models.Index(fields=["price", "number"], include=["status", "id"], name="number_price"),
            # (an operator's numbers share a prefix, so they bunch up in the number
            # order: they get their own index in the recommended order)
            models.Index(
                fields=["operator", "-featured", "number"],
                include=["status", "id"],
                name="number_operator",
            ),
            # (the popular and newest orders' also carry the class flags: a big class is
            # found in them within a few hundred entries, where sorting it reads all of it)
            models.Index(
                fields=["view_count", "number"],
                include=["status", "id", *PATTERN_COLUMNS],
                name="number_popular",
            ),
            models.Index(
                fields=["created_at", "id"],
                include=["status", "number", *PATTERN_COLUMNS],
                name="number_newest",
            ),
            # ... a prefix index for searches at the end (the digit-pairs index for
            # searches with * or anywhere is PostgreSQL-only: see migration 0007),
            # carrying what such a search is counted, filtered and sorted by in the
            # recommended and price orders, so that it never reads the table ...
            models.Index(
                fields=["reversed_digits"],
                opclasses=["varchar_pattern_ops"],
                include=["status", "id", "featured", "number", "price"],
                name="number_reversed_like",
            ),
            # ... a partial index per vanity class, in the recommended order; it
            # carries every sort's key, so a class by price or number is sorted from
            # the index alone (a class is small, and walking those orders for it is not) ...
            *(
                models.Index(
                    fields=["-featured", "number"],
                    include=["status", "id", "price", "view_count", "created_at"],
                    condition=Q(**{f"pattern_{slug}": True}),
                    name=f"number_class_{slug}",
                )
                for slug in patterns.PATTERN_SLUGS
            ),
            # ... and one of the numbers with any class (8 % of them), carrying what the
            # recommended order's does, so that several classes with other filters are
            # counted from it alone, not fetched from the table to test those filters.
            models.Index(
                fields=["-featured", "number"],
                include=["status", "id", "price", "operator", *PATTERN_COLUMNS],
                condition=reduce(operator_or, (Q(**{column: True}) for column in PATTERN_COLUMNS)),
                name="number_any_class",
            ),
        ]

    def __str__(self):
        return self.formatted

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        head, tail = _detail_url_parts(
            get_language(), get_script_prefix(), get_resolver(get_urlconf())
        )
        return f"{head}{self.number}{tail}"

    def get_operator_display(self):
        """The operator's name: Django's own builds a dict of the choices at every call,
        and a catalogue page calls this for each of its cards."""
        return OPERATOR_LABELS.get(self.operator, self.operator)

    @property
    def formatted(self) -> str:
        return patterns.format_number(self.number)

    @property
    def vanity_patterns(self) -> list[Pattern]:
        """The number's classes: from the flags it was saved with (``derive``), so a page
        of cards does not classify its numbers again; from the digits if it is unsaved."""
        if self._state.adding:
            return [PATTERNS[slug] for slug in patterns.classify(self.number)]
        return [
            PATTERNS[slug] for slug in patterns.PATTERN_SLUGS if getattr(self, f"pattern_{slug}")
        ]

    def derive(self, operators: dict[str, str] | None = None) -> None:
        """Fill what the digits decide: the operator, from the prefix table."""
        if operators is None:
            prefix = Prefix.objects.filter(digits=self.number[:4]).first()
            operators = {prefix.digits: prefix.operator} if prefix else {}
        self.operator = operators.get(self.number[:4], self.operator)
        self.reversed_digits = self.number[::-1]
        if patterns.is_valid_number(self.number):
            classes = set(patterns.classify(self.number))
            for slug in patterns.PATTERN_SLUGS:
                setattr(self, f"pattern_{slug}", slug in classes)

    @property
    def is_held(self) -> bool:
        """Reserved by an order whose hold has not run out (no expiry: staff confirmed it)."""
        return self.status == NumberStatus.HELD and (
            self.hold_expires_at is None or self.hold_expires_at > timezone.now()
        )

    @property
    def is_orderable(self) -> bool:
        """Available, or held by a hold that has run out (see ``orderable()``)."""
        return self.status == NumberStatus.AVAILABLE or (
            self.status == NumberStatus.HELD and not self.is_held
        )


class NumberStatusChange(StatusChange):
    """One move of a number's status. A hold taken by an order is recorded by the order
    itself (its creation), so that placing an order stays one UPDATE and one INSERT."""

    subject = "number"

    number = models.ForeignKey(
        Number, verbose_name=_("number"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=25, choices=NumberStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=25, choices=NumberStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("number status change")
        verbose_name_plural = _("number status history")


class SearchTally(models.Model):
    """How often a search was made on a day: digits and classes, nothing personal."""

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=200)
    hits = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        ordering = ["-day", "-hits"]
        verbose_name = _("search tally")
        verbose_name_plural = _("search tallies")
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="searchtally_day_query")
        ]

    def __str__(self):
        return f"{self.day} {self.query} ×{self.hits}"


class SearchVisitor(models.Model):
    """One client that made a search on a day, so that its repeats do not count again.

    ``visitor`` is a keyed hash of the client's address and the day (numbers.counters),
    never the address. Rows live only while the day's tally can still change.
    """

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=200)
    visitor = models.CharField(_("visitor"), max_length=32)

    class Meta:
        verbose_name = _("search visitor")
        verbose_name_plural = _("search visitors")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query", "visitor"], name="searchvisitor_day_query_visitor"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.query}"
