"""Rate limits per client address, counted in the cache (never in the database).

A fixed window per client: the first hit in a window creates its counter with
``cache.add``, every hit raises it with ``cache.incr`` — both atomic in Redis
and in the local-memory cache — so parallel requests cannot slip past the limit.
"""

import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" → (5, 3600): how many hits per how many seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if match is None:
        raise ImproperlyConfigured(f"A rate limit looks like 5/h or 20/10m, not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _PERIODS[unit]


def client_address(request) -> str:
    """The client's address; with NUM_PROXIES trusted proxies, taken from X-Forwarded-For."""
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, request, period: int) -> str:
    window = int(time.time() // period)
    return f"ratelimit:{scope}:{client_address(request)}:{window}"


def hit(scope: str, request, rate: str) -> bool:
    """Count one hit; False when it goes over the limit.

    Without a working cache the limit is not enforced (and that is logged): an outage
    of the cache must not stop customers from ordering.
    """
    limit, period = parse_rate(rate)
    key = _key(scope, request, period)
    try:
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the counter expired between add and incr: a fresh window
            cache.add(key, 1, timeout=period + 1)
            count = 1
    except Exception:
        logger.exception("Rate limit %s not enforced: the cache is unavailable", scope)
        return True
    return count <= limit


def is_limited(scope: str, request, rate: str) -> bool:
    """Whether the client has used up the limit, without counting a hit."""
    limit, period = parse_rate(rate)
    try:
        return cache.get(_key(scope, request, period), 0) >= limit
    except Exception:
        logger.exception("Rate limit %s not enforced: the cache is unavailable", scope)
        return False
