"""What search engines and share sheets read: absolute URLs, the page in each language,
its canonical address and whether it may be indexed.

Every link here is built from the URL the request resolved to, reversed again in the
wanted language, never from the path the client sent: an unmatched path (a 404, or
``//evil.example/x``) gets the home page in its place.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

# Search engines spell Simplified Chinese zh-Hans; Django's language code is lower case.
HREFLANG = {"zh-hans": "zh-Hans"}


def absolute_url(path: str) -> str:
    """The absolute URL of a path on this site, from ``SITE_URL`` (never the Host header)."""
    return f"{settings.SITE_URL}{path}"


def hreflang(code: str) -> str:
    return HREFLANG.get(code, code)


def resolved_path(request, language: str) -> str | None:
    """The request's page in ``language``, reversed from its resolved URL; None if unmatched."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    if not match.url_name:
        return None
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None


def language_links(request) -> list[dict]:
    """The language switch: this page in every language, keeping the (re-encoded) query."""
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        path = resolved_path(request, code)
        if path is None:
            with translation.override(code):
                path = reverse("home")
        elif query:
            path = f"{path}?{query}"
        links.append(
            {
                "code": code,
                "hreflang": hreflang(code),
                "name": name,
                "url": path,
                "current": code == translation.get_language(),
            }
        )
    return links


@dataclass
class PageLinks:
    """The head's <link rel=canonical>, <link rel=alternate hreflang> and robots meta."""

    canonical: str = ""
    alternates: list[tuple[str, str]] = field(default_factory=list)
    robots: str = ""


def default_canonical_query(request) -> str:
    """A listing's later pages are pages of their own; every other parameter is dropped."""
    page = request.GET.get("page", "")
    return f"page={page}" if page.isdigit() and int(page) > 1 else ""


def page_links(request, *, query: str | None = None, robots: str = "") -> PageLinks:
    """Canonical and alternates of the request's page, absolute, with ``x-default``.

    ``query`` is the canonical query string (without "?"); None means the default,
    which keeps only a page number.
    """
    if query is None:
        query = default_canonical_query(request)
    suffix = f"?{query}" if query else ""
    paths = {code: resolved_path(request, code) for code, _name in settings.LANGUAGES}
    if any(path is None for path in paths.values()):
        return PageLinks(robots="noindex")
    alternates = [(hreflang(code), absolute_url(path + suffix)) for code, path in paths.items()]
    alternates.append(("x-default", absolute_url(paths[settings.LANGUAGE_CODE] + suffix)))
    current = paths.get(translation.get_language(), paths[settings.LANGUAGE_CODE])
    return PageLinks(canonical=absolute_url(current + suffix), alternates=alternates, robots=robots)
