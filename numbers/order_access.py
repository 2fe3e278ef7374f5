"""Which order pages this browser may open: a short-lived signed cookie, not a URL.

The signed link (``?key=…``, in the e-mails) is exchanged for this cookie and a
redirect to the clean address, so the key stays out of access logs, browser history
and Referer headers; the look-up by reference and mobile sets the same cookie. Each
order is remembered for GRANT_SECONDS after the page was last opened.
"""

import time

from django.conf import settings
from django.core import signing

COOKIE_NAME = "order_access"
SALT = "numbers.order-access"
GRANT_SECONDS = 60 * 60
LIMIT = 10


def _grants(request) -> dict[str, int]:
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return {}
    try:
        value = signing.loads(raw, salt=SALT, max_age=GRANT_SECONDS)
    except signing.BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    oldest = time.time() - GRANT_SECONDS
    return {
        reference: at
        for reference, at in value.items()
        if isinstance(reference, str) and isinstance(at, int) and at > oldest
    }


def is_granted(request, reference: str) -> bool:
    return reference in _grants(request)


def grant(request, response, reference: str) -> None:
    """Let this browser open the order's page for the next GRANT_SECONDS."""
    grants = _grants(request)
    grants.pop(reference, None)
    grants[reference] = int(time.time())
    kept = dict(list(grants.items())[-LIMIT:])
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(kept, salt=SALT, compress=True),
        max_age=GRANT_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
