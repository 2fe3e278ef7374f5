"""Site-wide template context: the business's contacts, languages and offices."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from accounts.cache import current_content_version
from numbers.patterns import format_number
from offices.models import active_offices_cached
from reseller.seo import language_links


def _active_offices():
    try:
        return active_offices_cached()
    except DatabaseError:
        # The footer must never turn a page (or the error page) into a 500.
        return []


def _content_generation() -> int:
    return current_content_version() if settings.PAGE_CACHE_SECONDS else 0


def site(request):
    english = get_language() == "en"
    return {
        "site": {
            "name": settings.SITE_NAME_EN if english else settings.SITE_NAME,
            "hotline": settings.SITE_HOTLINE,
            "hotline_display": format_number(settings.SITE_HOTLINE),
            "qq": settings.SITE_QQ,
            "wechat": settings.SITE_WECHAT,
            "email": settings.SITE_EMAIL,
            "address": settings.SITE_ADDRESS,
            "icp": settings.SITE_ICP,
            "legal_name": settings.SITE_LEGAL_NAME_EN if english else settings.SITE_LEGAL_NAME,
            "bank_transfer_note": (
                settings.BANK_TRANSFER_NOTE_EN if english else settings.BANK_TRANSFER_NOTE
            ),
        },
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "site_offices": SimpleLazyObject(_active_offices),
        # What the same-for-everyone pieces of a page are kept under ({% cache %}), and
        # for how long: not at all without a cache the workers share (PAGE_CACHE_SECONDS).
        "fragment_seconds": settings.PAGE_CACHE_SECONDS,
        "content_generation": SimpleLazyObject(_content_generation),
    }
