"""Rate limits on public forms: django-ratelimit's counters, our scopes and keys.

Counters live in the ``limits`` cache (``RATELIMIT_USE_CACHE``): Redis when
configured, else the database, so every worker of a machine shares them. A hit
is counted per client address (``accounts.clients.client_address``) unless a
``value`` is given, e.g. the normalised mobile number an order is placed for.
"""

import logging
import re

from django.core.exceptions import ImproperlyConfigured
from django_ratelimit.core import get_usage

from accounts.clients import client_address

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" → (5, 3600): how many hits per how many seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if match is None:
        raise ImproperlyConfigured(f"A rate limit looks like 5/h or 20/10m, not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _PERIODS[unit]


def _usage(scope: str, request, rate: str, value: str | None, increment: bool):
    key = (lambda _group, _request: value) if value is not None else "ip"
    return get_usage(request, group=scope, key=key, rate=parse_rate(rate), increment=increment)


def hit(scope: str, request, rate: str, *, value: str | None = None) -> bool:
    """Count one hit; False when it goes over the limit.

    Without a working cache the limit is not enforced (and that is logged): an outage
    of the cache must not stop customers from ordering.
    """
    try:
        usage = _usage(scope, request, rate, value, increment=True)
    except Exception:
        logger.exception("Rate limit %s not enforced: the cache is unavailable", scope)
        return True
    return usage is None or not usage["should_limit"]


def is_limited(scope: str, request, rate: str, *, value: str | None = None) -> bool:
    """Whether the limit is used up, without counting a hit."""
    try:
        usage = _usage(scope, request, rate, value, increment=False)
    except Exception:
        logger.exception("Rate limit %s not enforced: the cache is unavailable", scope)
        return False
    return usage is not None and usage["count"] >= usage["limit"]


__all__ = ["client_address", "hit", "is_limited", "parse_rate"]
