"""Writes with side effects on numbers and orders. Views and admin call these, nothing else."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, connections, transaction
from django.db.models.sql.subqueries import UpdateQuery
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.cache import content_changed
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
    Watch,
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
                notifications.order_placed(order)
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
            notifications.order_placed(order)
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
