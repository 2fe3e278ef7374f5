"""Public pages that are the same for every visitor: rendered once, then served from the cache.

A page is shared when its visitor brings no state of their own: not logged in, no
session, no flash messages waiting, none of the view's private cookies (the
shortlist). Such a page differs between visitors only by its CSRF token, so it is
rendered with a stand-in token, kept, and the visitor's own token is written in
each time it is served. Everyone else gets the page rendered for them, as before.

An entry is good while it carries the current ``content_version()`` (bumped whenever
numbers, plans, offices or articles change) and for ``PAGE_CACHE_SECONDS`` at most,
since some of what a page shows moves with the clock (a hold running out, a
scheduled article, a countdown).

Each process also keeps the pages it served last in its own memory (``RecentPages``),
and trusts its reading of the generation for ``PAGE_CACHE_LOCAL_SECONDS``: a round
trip to Redis costs more than everything else a kept page costs, so a popular page
is then served without one. A change shows at once in the process that made it and
within those seconds everywhere else.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from accounts.cache import (
    CONTENT_VERSION_KEY,
    content_version,
    recent_content_version,
    remember_content_version,
)

CSRF_STAND_IN = "shared-page-csrf-token"


@dataclass(frozen=True)
class KeptPage:
    version: int
    expires_at: float  # time.time(): the same moment in every process
    status: int
    content_type: str
    content: bytes
    replay_with: object

    def is_good(self, version: int) -> bool:
        return self.version == version and time.time() < self.expires_at


class RecentPages:
    """The kept pages this process served last, least recently served dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the threads of a gunicorn worker share it

    def get(self, key: str, version: int) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or not page.is_good(version):
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: KeptPage) -> None:
        with self._lock:
            if (old := self._pages.pop(key, None)) is not None:
                self._bytes -= len(old.content)
            self._pages[key] = page
            self._bytes += len(page.content)
            while self._bytes > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


# About a hundred catalogue pages: little next to a worker's ~100 MB.
recent_pages = RecentPages(max_bytes=4 * 1024 * 1024)


def is_shared(request, private_cookies: tuple[str, ...] = ()) -> bool:
    """Whether the page this request gets is the one every visitor without state gets."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, *private_cookies)
    return not any(request.COOKIES.get(name) for name in personal)


def shared_page(
    request,
    render: Callable[..., HttpResponse],
    *,
    private_cookies: tuple[str, ...] = (),
    replay: Callable[[object], None] | None = None,
) -> HttpResponse:
    """``render(**extra_context)``'s response, from the cache when the page is shared.

    What a view must do on every request, even one served from the cache (count a
    search, a view), it does in ``render`` and leaves what it needs to do it again on
    the response as ``replay_with``; a page served from the cache calls
    ``replay(replay_with)``.
    """
    if not is_shared(request, private_cookies):
        return render()
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = f"page:{get_language()}:{hashlib.sha256(address.encode()).hexdigest()}"
    page = None
    if (version := recent_content_version()) is not None:
        page = recent_pages.get(key, version)
    if page is None:
        found = cache.get_many([CONTENT_VERSION_KEY, key])
        version = found.get(CONTENT_VERSION_KEY) or content_version()
        remember_content_version(version)
        page = found.get(key)
        if isinstance(page, KeptPage) and page.is_good(version):
            recent_pages.put(key, page)
        else:
            page = None
    if page is not None:
        if replay is not None:
            replay(page.replay_with)
        response = HttpResponse(page.content, status=page.status, content_type=page.content_type)
    else:
        response = render(csrf_token=CSRF_STAND_IN)
        if hasattr(response, "render"):
            response.render()
        if response.status_code in (200, 400):  # a bad search is a page too (its form errors)
            page = KeptPage(
                version=version,
                expires_at=time.time() + settings.PAGE_CACHE_SECONDS,
                status=response.status_code,
                content_type=response["Content-Type"],
                content=response.content,
                replay_with=getattr(response, "replay_with", None),
            )
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
            recent_pages.put(key, page)
    stand_in = CSRF_STAND_IN.encode()
    if stand_in in response.content:
        response.content = response.content.replace(stand_in, get_token(request).encode())
    return response
