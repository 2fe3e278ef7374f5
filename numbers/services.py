"""Writes on numbers that other parts of the portal ask for."""

import logging

from django.db import transaction

from numbers.models import Number, Status

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------
# Suspension (关停): called by compliance, which records the why and the history
# ------------------------------------------------------------------------------


@transaction.atomic
def number_suspend(*, number: Number, reason: str) -> str:
    """Shut a number off; return the status it had, so it can be restored to it.

    Suspended numbers are never listed (``Number.objects.listed()``).
    """
    locked = Number.objects.select_for_update().get(pk=number.pk)
    previous = locked.status
    if previous != Status.SUSPENDED:
        locked.status = Status.SUSPENDED
        locked.hold_expires_at = None
        locked.save(update_fields=["status", "hold_expires_at"])
        logger.info("Number %s suspended (was %s): %s", locked.number, previous, reason)
    number.status = locked.status
    return previous


@transaction.atomic
def number_restore(*, number: Number, status: str = Status.ACTIVE) -> None:
    """Bring a suspended number back into service (or to the status it had before).

    A hold does not survive a suspension: a number suspended while held comes back available.
    """
    if status == Status.HELD:
        status = Status.AVAILABLE
    if status == Status.SUSPENDED:
        raise ValueError("A number is restored to a status other than suspended.")
    locked = Number.objects.select_for_update().get(pk=number.pk)
    if locked.status == Status.SUSPENDED:
        locked.status = status
        locked.save(update_fields=["status"])
        logger.info("Number %s restored to %s", locked.number, locked.status)
    number.status = locked.status
