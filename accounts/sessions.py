"""Shorter sessions, and a fresh password before a reveal, for staff who see ID numbers.

A login by a user who may reveal ID numbers starts a short session: it ends after
``STAFF_SESSION_IDLE_MINUTES`` without a request and, however busy, ``STAFF_SESSION_MAX_HOURS``
after the login. Everyone's session remembers when the password was last typed, so a
reveal can ask for it again once that is more than ``REVEAL_REAUTH_MINUTES`` ago.

The permission is data ("app_label.codename"), as in ``accounts.roles``: this base layer
imports no app.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

REVEALS_ID_NUMBERS = "compliance.reveal_id_number"

# Session keys: when the password was last typed; for short sessions only, when the
# login was and when the last request came.
AUTHENTICATED_AT = "accounts_authenticated_at"
LOGGED_IN_AT = "accounts_short_session_since"
SEEN_AT = "accounts_short_session_seen"

# A short session is saved (and its expiry renewed) at most once a minute, not per request.
_SEEN_EVERY = 60


def start(sender, request, user, **kwargs):
    """user_logged_in: note the password, and shorten the session of those who reveal."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[AUTHENTICATED_AT] = now
    if user.has_perm(REVEALS_ID_NUMBERS):
        request.session[LOGGED_IN_AT] = request.session[SEEN_AT] = now
        # The cookie and the stored session run out with the idle limit as well.
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)


def password_confirmed(request) -> None:
    request.session[AUTHENTICATED_AT] = time.time()


def password_is_recent(request) -> bool:
    typed = request.session.get(AUTHENTICATED_AT, 0)
    return time.time() - typed <= settings.REVEAL_REAUTH_MINUTES * 60


class StaffSessionMiddleware:
    """Ends a short session that sat idle or ran past its length, before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        since = request.session.get(LOGGED_IN_AT)
        if since is not None and request.user.is_authenticated:
            now = time.time()
            seen = request.session.get(SEEN_AT, since)
            idle = now - seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
            too_long = now - since > settings.STAFF_SESSION_MAX_HOURS * 3600
            if idle or too_long:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif now - seen >= _SEEN_EVERY:
                request.session[SEEN_AT] = now
        return self.get_response(request)
