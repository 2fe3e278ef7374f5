"""The admin site: Django's own, with every page answering malformed lookups cleanly."""

from functools import cache, wraps

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest


@cache
def guarded(changelist_class: type) -> type:
    """``changelist_class`` with a date out of range (``uploaded_at__year=99999999999``,
    9999-12-31 + 1 day) treated as Django treats a month 13: the admin's ``?e=1`` page.

    Django catches only ValueError from the date hierarchy; an int too large for a date
    raises OverflowError, and the year after 9999 raises outside its try.
    """

    class Guarded(changelist_class):
        def get_filters(self, request):
            try:
                return super().get_filters(request)
            except (ValueError, OverflowError) as error:
                raise IncorrectLookupParameters(error) from error

    Guarded.__name__ = Guarded.__qualname__ = changelist_class.__name__
    return Guarded


class LookupGuard:
    def get_changelist(self, request, **kwargs):
        return guarded(super().get_changelist(request, **kwargs))


def has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class PortalAdminSite(admin.AdminSite):
    """Every model admin registered here, ours and the libraries', gets the guard."""

    def admin_view(self, view, cacheable=False):
        """A NUL in the query string is never a real filter or search: 400, before it
        reaches PostgreSQL (which refuses NUL in text) as a database error."""

        @wraps(view)
        def refusing_nul(request, *args, **kwargs):
            if has_nul(request.GET):
                raise BadRequest("NUL in the query string")
            return view(request, *args, **kwargs)

        return super().admin_view(refusing_nul, cacheable)

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        attrs = {"__module__": base.__module__, "__qualname__": base.__qualname__}
        super().register(
            model_or_iterable, type(base.__name__, (LookupGuard, base), attrs), **options
        )
