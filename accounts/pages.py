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
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from accounts.cache import CONTENT_VERSION_KEY, content_version

CSRF_STAND_IN = "shared-page-csrf-token"


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
    found = cache.get_many([CONTENT_VERSION_KEY, key])
    version = found.get(CONTENT_VERSION_KEY) or content_version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        _version, status, content_type, content, replay_with = entry
        if replay is not None:
            replay(replay_with)
        response = HttpResponse(content, status=status, content_type=content_type)
    else:
        response = render(csrf_token=CSRF_STAND_IN)
        if hasattr(response, "render"):
            response.render()
        if response.status_code in (200, 400):  # a bad search is a page too (its form errors)
            replay_with = getattr(response, "replay_with", None)
            entry = (version, response.status_code, response["Content-Type"], response.content)
            cache.set(key, (*entry, replay_with), settings.PAGE_CACHE_SECONDS)
    stand_in = CSRF_STAND_IN.encode()
    if stand_in in response.content:
        response.content = response.content.replace(stand_in, get_token(request).encode())
    return response
