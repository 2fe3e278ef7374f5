"""Writes with side effects on numbers and orders. Views and admin call these, nothing else."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial, reduce
from operator import or_ as operator_or

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.subqueries import UpdateQuery
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.cache import content_changed
from accounts.history import IllegalTransition
from accounts.roles import AGENTS
from numbers import counters, notifications
from numbers.models import (
    ENDED_ORDER_STATUSES,
    HOLD_KEYS,
    OPEN_ORDER_STATUSES,
    CallbackRequest,
    Number,
    NumberStatus,
    NumberStatusChange,
    Order,
    OrderEvent,
    OrderStatus,
    SearchTally,
    SearchVisitor,
    Watch,
    hold_limits,
    new_reference,
)
from offices.models import Office


class OrderError(Exception):
    """A change to an order that the rules do not allow; the message is for people."""


class NumberNotOrderable(OrderError):
    """Someone else holds the number, or it is no longer offered."""


# ------------------------------------------------------------------------------
# Numbers: every status move but the hold an order takes goes through here
# ------------------------------------------------------------------------------


@transaction.atomic
def number_transition(
    *, number: Number, to: str, actor: AbstractBaseUser | None = None, note: str = ""
) -> Number:
    """Move ``number`` to status ``to`` if its map allows it, with a history row.

    Leaving ``held`` lets the hold go; nothing but an order (``order_place``) takes one.
    Raises ``IllegalTransition`` for a move the map does not allow.
    """
    locked = Number.objects.select_for_update().get(pk=number.pk)
    locked.check_transition(to)
    NumberStatusChange.objects.create(
        number=locked,
        from_status=locked.status,
        to_status=to,
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )
    locked.status, locked.hold_expires_at = to, None
    locked.save(update_fields=["status", "hold_expires_at"])
    number.status, number.hold_expires_at = locked.status, locked.hold_expires_at
    if to == NumberStatus.AVAILABLE:
        watches_notify(number_ids=[locked.pk])  # cancelled, expired or released by staff
    return locked


def numbers_retire(*, numbers, actor: AbstractBaseUser | None, note: str = "") -> int:
    """Retire each of ``numbers`` that is on offer and in no open order; how many were."""
    retired = 0
    for number in numbers.orderable().exclude(orders__status__in=OPEN_ORDER_STATUSES):
        number_transition(number=number, to=NumberStatus.RETIRED, actor=actor, note=note)
        retired += 1
    return retired


# ------------------------------------------------------------------------------
# Orders
# ------------------------------------------------------------------------------


class ActivationBlocked(OrderError):
    """The order may not go into service yet (e.g. its subscriber is not verified)."""


class HoldLimitReached(OrderError):
    """The customer already holds as many unconfirmed numbers as one mobile, company or
    client address may; ``field`` names the order form's field it concerns (or None)."""

    def __init__(self, message: str, *, field: str | None):
        super().__init__(message)
        self.field = field


def order_place(
    *,
    digits: str,
    name: str,
    company: str,
    mobile: str,
    email: str = "",
    office: Office | None = None,
    message: str = "",
    language: str = settings.LANGUAGE_CODE,
    client_address: str = "",
) -> Order:
    """Hold the number ``digits`` for the customer and record the order: one winner per number.

    The hold is a single UPDATE that matches only while the number is orderable, so
    concurrent customers queue on the row and all but the first match nothing. The
    partial unique constraint on open orders backs it up at the INSERT, which also takes
    the order's places among the holds of its mobile, company and client address (see
    ``_free_place``). On the usual path that is all: two statements in one transaction.
    Raises ``NumberNotOrderable`` or ``HoldLimitReached``.
    """
    now = timezone.now()
    hold_until = now + timedelta(hours=settings.ORDER_HOLD_HOURS)
    fields = {
        "name": name,
        "company": company,
        "mobile": mobile,
        "email": email,
        "office": office,
        "message": message,
        "language": language,
        "created_at": now,
        "client_address": client_address or None,
    }
    # A lost race for a place costs a round; each round someone wins one, so a few suffice.
    for _attempt in range(6):
        order = Order(reference=new_reference(), **fields)
        order.company_key = Order.company_key_of(company)
        for column, slot in HOLD_KEYS.items():
            value, limit = getattr(order, column), hold_limits()[slot]
            setattr(order, f"{slot}_hold_slot", _free_place(column, slot, value, limit, now))
        try:
            with transaction.atomic():
                order.number = _hold(digits=digits, until=hold_until, now=now)
                order.save(force_insert=True)
                for slot in HOLD_KEYS.values():  # SQL until now: read back if ever needed
                    del order.__dict__[f"{slot}_hold_slot"]
                notifications.order_placed(order)
            return order
        except IntegrityError:
            _clear_the_way(order, digits=digits, now=now)
    raise OrderError(_("The order could not be saved. Please try again."))


def _free_place(column: str, slot: str, value, limit: int, now: datetime):
    """The order's place among the holds with ``column = value``, as SQL that runs inside
    the order's INSERT: the lowest place no submitted order has, or NULL (refused by the
    NOT NULL column) once ``limit`` orders hold a number for that value; 0 (no place)
    without a limit or a value.

    Two orders placed at once read the same places and pick the same one, so the
    unique constraint on (column, place) lets one through and sends the other round
    again (``_clear_the_way``): the limit holds under any number of concurrent orders.
    """
    if not limit or not value:
        return 0
    place = f"{slot}_hold_slot"
    taken = Order.objects.filter(status=OrderStatus.SUBMITTED, **{column: value, f"{place}__gt": 0})
    taken_sql, taken_params = taken.order_by().values(place).query.sql_with_params()
    holding = Order.objects.holding(now).filter(**{column: value}).order_by().values(column)
    held_sql, held_params = holding.annotate(n=Count("pk")).values("n").query.sql_with_params()
    place = connection.ops.quote_name(place)
    sql = (
        f"SELECT MIN(free.n) FROM (SELECT 1 AS n UNION SELECT taken.{place} + 1 "  # noqa: S608 - SQL of querysets
        f"FROM ({taken_sql}) AS taken) AS free WHERE free.n NOT IN ({taken_sql}) "
        f"AND COALESCE(({held_sql}), 0) < %s"
    )
    params = [*taken_params, *taken_params, *held_params, limit]
    return RawSQL(sql, params)  # noqa: S611 - SQL of querysets, values as parameters


def _clear_the_way(order: Order, *, digits: str, now: datetime) -> None:
    """The order's INSERT was refused: say why, or clear the way for another attempt.

    One query tells the reasons apart: a reference drawn twice (one in 10^11), a
    limit reached, an open order whose hold ran out still sitting on the number, or a
    place just taken by a concurrent order.
    """
    keys = {column: value for column in HOLD_KEYS if (value := getattr(order, column))}
    holding = Order.objects.holding(now).filter(pk=OuterRef("pk"))
    on_number = Q(number__number=digits, status__in=OPEN_ORDER_STATUSES)
    related = reduce(operator_or, (Q(**{c: v}) for c, v in keys.items()), on_number)
    counts = Order.objects.filter(related | Q(reference=order.reference)).aggregate(
        reference=Count("pk", filter=Q(reference=order.reference)),
        on_number=Count("pk", filter=on_number),
        **{HOLD_KEYS[c]: Count("pk", filter=Q(Exists(holding), **{c: v})) for c, v in keys.items()},
    )
    if counts["reference"]:
        return
    for column in keys:
        slot = HOLD_KEYS[column]
        limit = hold_limits()[slot]
        if limit and counts[slot] >= limit:
            raise HoldLimitReached(_hold_limit_message(slot, limit), field=HOLD_FIELDS[slot])
    if counts["on_number"]:
        # An open order still sits on the number: its hold ran out, or staff freed it by hand.
        with transaction.atomic():
            number = Number.objects.select_for_update().get(number=digits)
            if number.status != NumberStatus.HELD or not number.is_orderable:
                raise NumberNotOrderable(_("This number was just taken."))
            _expire_lapsed_order(number)


# The order form's field each limit concerns; the address is none of them.
HOLD_FIELDS = {"mobile": "mobile", "company": "company", "address": None}


def _hold_limit_message(slot: str, limit: int) -> str:
    if slot == "mobile":
        text = ngettext(
            "This mobile number already holds %(count)d number we have not confirmed yet. "
            "We will call you about it soon; please call us if you would like more.",
            "This mobile number already holds %(count)d numbers we have not confirmed yet. "
            "We will call you about them soon; please call us if you would like more.",
            limit,
        )
    elif slot == "company":
        text = ngettext(
            "%(count)d number is already reserved for this company and waits for our "
            "confirmation. We will call you about it soon; please call us if you would "
            "like more.",
            "%(count)d numbers are already reserved for this company and wait for our "
            "confirmation. We will call you about them soon; please call us if you would "
            "like more.",
            limit,
        )
    else:
        text = ngettext(
            "%(count)d number is already reserved from your connection and waits for our "
            "confirmation. We will call you about it soon; please call us if you would "
            "like more.",
            "%(count)d numbers are already reserved from your connection and wait for our "
            "confirmation. We will call you about them soon; please call us if you would "
            "like more.",
            limit,
        )
    return text % {"count": limit}


def _hold(*, digits: str, until: datetime, now: datetime) -> Number:
    """Hold the number if it is orderable, in one UPDATE … RETURNING; raise if it is not.

    This is QuerySet.update() with a RETURNING clause (which the ORM cannot add yet), so
    the conditions stay those of NumberQuerySet.orderable() and sit on the row itself:
    PostgreSQL re-checks them after waiting for a concurrent holder's lock.
    """
    queryset = Number.objects.orderable(now).filter(number=digits)
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values({"status": NumberStatus.HELD, "hold_expires_at": until})
    sql, params = query.get_compiler(queryset.db).as_sql()
    quote = connections[queryset.db].ops.quote_name
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {quote('id')}, {quote('price')}", params)
        row = cursor.fetchone()
    if row is None:
        raise NumberNotOrderable(_("This number was just taken."))
    content_changed()  # the number leaves the catalogue; raw SQL sends no signal
    return Number(
        pk=row[0], number=digits, price=row[1], status=NumberStatus.HELD, hold_expires_at=until
    )


def _expire_lapsed_order(number: Number) -> None:
    """The number was held by an order whose hold ran out: that order ends now."""
    for order in Order.objects.filter(number=number).open().select_for_update():
        if not order.can_become(OrderStatus.EXPIRED):
            raise NumberNotOrderable(_("This number was just taken."))
        _record(
            order, OrderStatus.EXPIRED, actor=None, note=_note(gettext_noop("The hold ran out."))
        )


def _note(message: str, *args) -> str:
    """A note written by the system, in the site's language whoever triggered it."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message) % args if args else gettext(message)


def _record(order: Order, to: str, *, actor, note: str) -> OrderEvent:
    previous = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    event = OrderEvent.objects.create(
        order=order,
        from_status=previous,
        to_status=to,
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )
    notifications.order_status_changed(order, event)
    return event


# What must hold before an order goes into service, one function per condition returning
# the reason it does not (or ""). The apps that gate service register theirs at start-up
# (compliance: real-name verification), so numbers imports none of them.
_activation_checks: list[Callable[[Order], str]] = []


def activation_check_register(check: Callable[[Order], str]) -> None:
    if check not in _activation_checks:
        _activation_checks.append(check)


def order_activation_blockers(order: Order) -> list[str]:
    """Why ``order`` may not go into service yet; empty when it may."""
    return [str(reason) for check in _activation_checks if (reason := check(order))]


def order_transition(
    *,
    order: Order,
    to: str,
    actor: AbstractBaseUser | None = None,
    note: str = "",
    override_reason: str = "",
) -> Order:
    """Move ``order`` to status ``to`` if the map allows it, with history and the number's side.

    Confirming keeps the number held with no expiry (staff now look after it), cancelling
    or expiring frees it, activating puts it in service: only once every activation check
    passes, or when ``actor`` holds ``numbers.activate_unverified`` and gives a reason,
    which the history keeps with the actor's name.
    """
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("number", "office", "agent")
            .get(pk=order.pk)
        )
        locked.check_transition(to)
        if to == OrderStatus.ACTIVE and (blockers := order_activation_blockers(locked)):
            if not _may_override(actor, override_reason):
                raise ActivationBlocked(" ".join(blockers))
            note = _note(
                gettext_noop("Put in service before verification by %s: %s (%s)"),
                actor.get_username(),
                override_reason.strip(),
                " ".join(blockers),
            )
        if (
            to == OrderStatus.EXPIRED
            and locked.hold_expires_at
            and (locked.hold_expires_at > timezone.now())
        ):
            raise OrderError(_("The hold of order %s has not run out yet.") % locked.reference)
        _number_follows(locked, to, actor=actor, note=note)
        _record(locked, to, actor=actor, note=note)
    order.status = locked.status
    return locked


def _may_override(actor: AbstractBaseUser | None, reason: str) -> bool:
    return bool(
        actor is not None and reason.strip() and actor.has_perm("numbers.activate_unverified")
    )


def _number_follows(order: Order, to: str, *, actor, note: str) -> None:
    number = order.number
    try:
        if to == OrderStatus.CONFIRMED:
            if number.status != NumberStatus.HELD:
                number_transition(number=number, to=NumberStatus.HELD, actor=actor, note=note)
            # Staff look after a confirmed order: its hold no longer runs out.
            Number.objects.filter(pk=number.pk).update(hold_expires_at=None)
            content_changed()
        elif to == OrderStatus.ACTIVE:
            number_transition(number=number, to=NumberStatus.ACTIVE, actor=actor, note=note)
        elif to in ENDED_ORDER_STATUSES and number.status == NumberStatus.HELD:
            # A number suspended or retired meanwhile stays so; only the hold is let go.
            number_transition(number=number, to=NumberStatus.AVAILABLE, actor=actor, note=note)
    except IllegalTransition as error:
        raise OrderError(
            _("Number %(number)s is %(status)s: it cannot be given to order %(reference)s.")
            % {
                "number": number.formatted,
                "status": number.get_status_display(),
                "reference": order.reference,
            }
        ) from error
    number.refresh_from_db(fields=["status", "hold_expires_at"])


def order_assign(
    *,
    order: Order,
    agent: AbstractBaseUser | None,
    actor: AbstractBaseUser | None = None,
    note: str = "",
) -> Order:
    """Give ``order`` to an agent (an active user of the agents group), or to nobody, with
    a history entry naming who had it before; the new agent is told by e-mail."""
    if agent is not None and not (agent.is_active and agent.groups.filter(name=AGENTS).exists()):
        raise OrderError(_("%s is not an active agent.") % agent.get_username())
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",)).select_related("agent").get(pk=order.pk)
        )
        before = locked.agent
        locked.agent = agent
        locked.save(update_fields=["agent", "updated_at"])
        if before is None:
            text = _note(gettext_noop("Assigned to %s."), agent.get_username())
        elif agent is None:
            text = _note(gettext_noop("No longer assigned to %s."), before.get_username())
        else:
            text = _note(
                gettext_noop("Reassigned from %s to %s."),
                before.get_username(),
                agent.get_username(),
            )
        _record_change(locked, actor, note or text)
        if agent is not None:
            notifications.order_assigned(locked, agent)
    order.agent = agent
    return locked


def order_set_office(
    *, order: Order, office: Office | None, actor: AbstractBaseUser | None = None
) -> Order:
    """Hand ``order`` to another office, with a history entry naming both."""
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",)).select_related("office").get(pk=order.pk)
        )
        before = locked.office.name if locked.office else "—"
        locked.office = office
        locked.save(update_fields=["office", "updated_at"])
        after = office.name if office else "—"
        _record_change(
            locked, actor, _note(gettext_noop("Office changed from %s to %s."), before, after)
        )
    order.office = office
    return locked


def order_note(*, order: Order, actor: AbstractBaseUser | None, note: str) -> None:
    """A remark in the order's history that changes nothing else (who confirmed what)."""
    _record_change(order, actor, note[:500])


def _record_change(order: Order, actor, note: str) -> None:
    """A history entry for a change that leaves the status as it is."""
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )


def holds_release_expired(*, now: datetime | None = None) -> int:
    """Expire submitted orders whose hold ran out and free their numbers; how many were freed."""
    now = now or timezone.now()
    freed = 0
    for order in Order.objects.with_expired_hold(now):
        try:
            order_transition(
                order=order, to=OrderStatus.EXPIRED, note=_note(gettext_noop("The hold ran out."))
            )
        except OrderError:
            continue  # confirmed or re-ordered meanwhile
        freed += 1
    # Held numbers whose order ended some other way: their hold lapsed with it.
    lapsed = Number.objects.filter(status=NumberStatus.HELD, hold_expires_at__lte=now).exclude(
        orders__status__in=OPEN_ORDER_STATUSES
    )
    note = _note(gettext_noop("The hold ran out."))
    for number in lapsed:
        number_transition(number=number, to=NumberStatus.AVAILABLE, note=note)
        freed += 1
    # Holds that ran out count as free before any clean-up: their watchers hear now.
    watches_notify(now=now)
    return freed


# ---- Watches (盯号) ----


def watch_create(
    *, number: Number, mobile: str = "", email: str = "", language: str = settings.LANGUAGE_CODE
) -> Watch:
    """Watch ``number`` for the customer; the same contact watching again renews its 30 days."""
    if not mobile and not email:
        raise ValueError("A watch needs a mobile or an e-mail.")
    now = timezone.now()
    expires = now + timedelta(days=settings.WATCH_DAYS)
    with transaction.atomic():
        same = Watch.objects.pending(now).filter(number=number, mobile=mobile, email=email)
        watch = same.select_for_update().first()
        if watch is not None:
            watch.expires_at, watch.language = expires, language
            watch.save(update_fields=["expires_at", "language"])
            return watch
        return Watch.objects.create(
            number=number,
            mobile=mobile,
            email=email,
            language=language,
            created_at=now,
            expires_at=expires,
        )


def watches_notify(*, number_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Tell every pending watcher whose number is orderable again; once each, ever.

    Each watch is claimed by an UPDATE that matches only while it is un-notified, so two
    runs at once (a cancellation and the hourly job) never send a notice twice. The
    notices go out after the commit, through the same path as the order e-mails.
    """
    now = now or timezone.now()
    watches = Watch.objects.pending(now).filter(number__in=Number.objects.listed().orderable(now))
    if number_ids is not None:
        watches = watches.filter(number_id__in=number_ids)
    sent = 0
    for watch in watches.select_related("number"):
        if Watch.objects.filter(pk=watch.pk, notified_at__isnull=True).update(notified_at=now):
            transaction.on_commit(partial(notifications.watch_available, watch))
            sent += 1
    return sent


def watch_unsubscribe(*, token: str) -> Watch | None:
    watch = Watch.objects.filter(token=token).first()
    if watch is not None and watch.cancelled_at is None:
        watch.cancelled_at = timezone.now()
        watch.save(update_fields=["cancelled_at"])
    return watch


def callback_request_create(
    *, name: str, mobile: str, message: str = "", language: str = settings.LANGUAGE_CODE
) -> CallbackRequest:
    with transaction.atomic():
        lead = CallbackRequest.objects.create(
            name=name, mobile=mobile, message=message, language=language
        )
        notifications.callback_requested(lead)
    return lead


def callback_request_mark_handled(
    *, lead: CallbackRequest, actor: AbstractBaseUser | None, note: str = ""
) -> CallbackRequest:
    with transaction.atomic():
        lead.handled = True
        lead.handled_at = timezone.now()
        lead.handled_by = actor
        if note:
            lead.staff_note = f"{lead.staff_note}\n{note}".strip()
        lead.save(update_fields=["handled", "handled_at", "handled_by", "staff_note"])
    return lead


# ------------------------------------------------------------------------------
# Catalogue
# ------------------------------------------------------------------------------


HOT_SEARCHES_CACHE_KEY = "numbers:hot-searches"
# A search's tally can change while its day's visitors are kept: today and yesterday
# (a flush just after midnight still counts yesterday's last searches).
SEARCH_VISITOR_DAYS = 2


@dataclass(frozen=True)
class FlushResult:
    views: int = 0
    searches: int = 0


def counters_flush() -> FlushResult:
    """Write the buffered views and searches (numbers.counters) to the database.

    Safe to run any number of times at once: one flush holds the buffer's lock, the
    others return at once and leave the events to it or the next one. A batch is
    deleted from the buffer only after the transaction that counted it committed.
    """
    events = counters.buffer()
    views = searches = 0
    with events.lock() as locked:
        if not locked:
            return FlushResult()
        for batch, delete in events.batches():
            with transaction.atomic():
                views += _views_add(batch.views)
                searches += _searches_add(batch.searches)
            delete()
        if searches:
            SearchVisitor.objects.filter(
                day__lte=timezone.localdate() - timedelta(days=SEARCH_VISITOR_DAYS)
            ).delete()
    if searches:
        cache.delete(HOT_SEARCHES_CACHE_KEY)  # the next catalogue page reads the new ranking
    return FlushResult(views=views, searches=searches)


def _views_add(views: Counter) -> int:
    """Add each number's views; one UPDATE per distinct count (most are 1, 2 or 3)."""
    by_count = defaultdict(list)
    for number_id, count in views.items():
        by_count[count].append(number_id)
    for count, number_ids in by_count.items():
        Number.objects.filter(pk__in=number_ids).update(view_count=F("view_count") + count)
    return views.total()


def _searches_add(searches: set) -> int:
    """Record each (day, search, visitor) once; a tally is its day's distinct visitors."""
    horizon = timezone.localdate() - timedelta(days=SEARCH_VISITOR_DAYS - 1)
    rows = [
        SearchVisitor(day=day, query=query, visitor=visitor)
        for day, visitor, query in searches
        if day >= horizon
    ]
    if not rows:
        return 0
    SearchVisitor.objects.bulk_create(rows, ignore_conflicts=True)
    # Recounted, not incremented: running twice over the same events changes nothing.
    totals = (
        SearchVisitor.objects.filter(
            day__in={row.day for row in rows}, query__in={row.query for row in rows}
        )
        .values("day", "query")
        .annotate(visitors=Count("pk"))
    )
    SearchTally.objects.bulk_create(
        [SearchTally(day=t["day"], query=t["query"], hits=t["visitors"]) for t in totals],
        update_conflicts=True,
        unique_fields=["day", "query"],
        update_fields=["hits"],
    )
    return len(rows)


# ------------------------------------------------------------------------------
# Suspension (关停): called by compliance, which records the why and the history
# ------------------------------------------------------------------------------


def number_suspend(*, number: Number, reason: str, actor: AbstractBaseUser | None = None) -> None:
    """Shut a number in service off (关停); suspended numbers are never listed.

    Raises ``IllegalTransition`` unless the number is in service.
    """
    number_transition(number=number, to=NumberStatus.SUSPENDED, actor=actor, note=reason)


def number_restore(*, number: Number, reason: str, actor: AbstractBaseUser | None = None) -> None:
    """Bring a suspended number back into service."""
    number_transition(number=number, to=NumberStatus.ACTIVE, actor=actor, note=reason)
