"""Writes with side effects on numbers and orders. Views and admin call these, nothing else."""

from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, connections, transaction
from django.db.models.sql.subqueries import UpdateQuery
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.history import IllegalTransition
from accounts.roles import AGENTS
from numbers import notifications
from numbers.models import (
    ENDED_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    CallbackRequest,
    Number,
    NumberStatus,
    NumberStatusChange,
    Order,
    OrderEvent,
    OrderStatus,
    SearchTally,
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
) -> Order:
    """Hold the number ``digits`` for the customer and record the order: one winner per number.

    The hold is a single UPDATE that matches only while the number is orderable, so
    concurrent customers queue on the row and all but the first match nothing. The
    partial unique constraint on open orders backs it up at the INSERT. On the usual
    path that is all: two statements in one transaction.
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
    }
    for _attempt in range(3):
        order = Order(reference=new_reference(), **fields)
        try:
            with transaction.atomic():
                order.number = _hold(digits=digits, until=hold_until, now=now)
                order.save(force_insert=True)
                transaction.on_commit(partial(notifications.order_placed, order))
            return order
        except IntegrityError:
            if Order.objects.filter(reference=order.reference).exists():
                continue  # one in 10^11: draw another reference
        # An open order still sits on the number: its hold ran out, or staff freed it by hand.
        with transaction.atomic():
            number = Number.objects.select_for_update().get(number=digits)
            if number.status != NumberStatus.HELD or not number.is_orderable:
                raise NumberNotOrderable(_("This number was just taken."))
            _expire_lapsed_order(number)
            order.number = _hold(digits=digits, until=hold_until, now=now)
            order.save(force_insert=True)
            transaction.on_commit(partial(notifications.order_placed, order))
        return order
    raise OrderError(_("The order could not be saved. Please try again."))


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
    transaction.on_commit(partial(notifications.order_status_changed, order, event))
    return event


def order_transition(
    *, order: Order, to: str, actor: AbstractBaseUser | None = None, note: str = ""
) -> Order:
    """Move ``order`` to status ``to`` if the map allows it, with history and the number's side.

    Confirming keeps the number held with no expiry (staff now look after it), cancelling
    or expiring frees it, activating puts it in service. Raises ``IllegalTransition`` for a
    move the map does not allow, ``OrderError`` when the number cannot follow.
    """
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("number", "office", "agent")
            .get(pk=order.pk)
        )
        locked.check_transition(to)
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


def _number_follows(order: Order, to: str, *, actor, note: str) -> None:
    number = order.number
    try:
        if to == OrderStatus.CONFIRMED:
            if number.status != NumberStatus.HELD:
                number_transition(number=number, to=NumberStatus.HELD, actor=actor, note=note)
            # Staff look after a confirmed order: its hold no longer runs out.
            Number.objects.filter(pk=number.pk).update(hold_expires_at=None)
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
    *, order: Order, agent: AbstractBaseUser, actor: AbstractBaseUser | None = None, note: str = ""
) -> Order:
    """Give ``order`` to an agent (a user of the agents group), with a history entry."""
    if not agent.groups.filter(name=AGENTS).exists():
        raise OrderError(_("%s is not in the agents group.") % agent.get_username())
    with transaction.atomic():
        locked = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        locked.agent = agent
        locked.save(update_fields=["agent", "updated_at"])
        OrderEvent.objects.create(
            order=locked,
            from_status=locked.status,
            to_status=locked.status,
            actor=actor,
            note=note or _note(gettext_noop("Assigned to %s."), agent.get_username()),
            created_at=timezone.now(),
        )
    order.agent = agent
    return locked


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
    return freed


def callback_request_create(
    *, name: str, mobile: str, message: str = "", language: str = settings.LANGUAGE_CODE
) -> CallbackRequest:
    with transaction.atomic():
        lead = CallbackRequest.objects.create(
            name=name, mobile=mobile, message=message, language=language
        )
        transaction.on_commit(partial(notifications.callback_requested, lead))
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


def search_tally_record(*, query: str, day: date | None = None) -> None:
    """Count one search of ``query`` today, in one atomic upsert (no read-modify-write)."""
    table = connection.ops.quote_name(SearchTally._meta.db_table)
    # Plain SQL: the ORM has no "increment on conflict"; both PostgreSQL and SQLite run this.
    sql = (
        f"INSERT INTO {table} (day, query, hits) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
        f"ON CONFLICT (day, query) DO UPDATE SET hits = {table}.hits + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day or timezone.localdate(), query[:200]])


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
