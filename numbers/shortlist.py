"""The visitor's shortlist (备选单), kept in a signed cookie of its own.

Why a cookie and not the database session: the shortlist shows on every
catalogue page, and reading a database session costs a query on each of them
(and a session row for every anonymous visitor who clicks "add"). A signed
cookie costs no query, needs no account, cannot be forged, and holds a few
dozen digits at most. It lives as long as a session would.
"""

from django.conf import settings
from django.core import signing

from numbers import patterns

COOKIE_NAME = "shortlist"
SALT = "numbers.shortlist"
LIMIT = 20
COMPARE_LIMIT = 4


class Shortlist:
    def __init__(self, digits: list[str] | None = None):
        self.digits = list(dict.fromkeys(digits or []))[:LIMIT]
        self.changed = False

    @classmethod
    def from_request(cls, request) -> "Shortlist":
        raw = request.COOKIES.get(COOKIE_NAME)
        if not raw:
            return cls()
        try:
            value = signing.loads(raw, salt=SALT, max_age=settings.SESSION_COOKIE_AGE)
        except signing.BadSignature:
            return cls()
        if not isinstance(value, list):
            return cls()
        return cls([d for d in value if isinstance(d, str) and patterns.is_valid_number(d)])

    @classmethod
    def from_shared(cls, value: str) -> "Shortlist":
        """A shortlist from a share link's ``shared=4006328888,4006518888``; bad parts dropped."""
        parts = [part.strip() for part in value.split(",")[:LIMIT]]
        return cls([part for part in parts if patterns.is_valid_number(part)])

    @property
    def shared_value(self) -> str:
        return ",".join(self.digits)

    def __contains__(self, digits: str) -> bool:
        return digits in self.digits

    def __len__(self) -> int:
        return len(self.digits)

    @property
    def is_full(self) -> bool:
        return len(self.digits) >= LIMIT

    def add(self, digits: str) -> bool:
        """Add a number; False when the list is full (nothing changes then)."""
        if digits in self.digits:
            return True
        if self.is_full:
            return False
        self.digits.append(digits)
        self.changed = True
        return True

    def remove(self, digits: str) -> None:
        if digits in self.digits:
            self.digits.remove(digits)
            self.changed = True

    def clear(self) -> None:
        self.changed = bool(self.digits)
        self.digits = []

    def save(self, response) -> None:
        if not self.changed:
            return
        if not self.digits:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
            return
        response.set_cookie(
            COOKIE_NAME,
            signing.dumps(self.digits, salt=SALT, compress=True),
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
