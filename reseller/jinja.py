"""The Jinja2 environment of the templates under ``jinja2_templates/`` (settings.TEMPLATES).

Only the parts a page repeats many times are Jinja2 templates: a number's card and its
shortlist button, rendered 24 times on every catalogue page. There the template
language's per-node cost was most of an uncached page (24 cards: 12 ms with Django's
templates, 4 ms here). Everything else, admin included, stays on Django's templates;
these call the same filters (``numbers_tags``, ``content``), so a price or a number reads
the same from either engine.

Messages: the templates use only ``_("…")`` and ``|format``, which ``makemessages``
reads in ``.html`` files as it does in Django's templates, so one catalogue holds both.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from numbers.templatetags.numbers_tags import highlighted, phone, price
from reseller.templatetags.content import localized


def hold_status(number) -> str:
    """A held number's "Reserved" line and countdown, from the one Django template of it."""
    if not number.is_held:
        return ""
    return mark_safe(  # noqa: S308 - a rendered template
        render_to_string("numbers/partials/hold_status.html", {"number": number})
    )


def environment(**options) -> Environment:
    extensions = [*options.pop("extensions", ()), "jinja2.ext.i18n"]
    # Django's backend passes autoescape=True; a template of ours never turns it off.
    env = Environment(autoescape=options.pop("autoescape", True), extensions=extensions, **options)
    # Plain gettext (not "newstyle"): ``_("%(count)s views")|format(count=…)`` then reads
    # as the Django template's {% blocktranslate %} of the same message does.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals.update(url=reverse, highlighted=highlighted, hold_status=hold_status)
    env.filters.update(price=price, phone=phone, localized=localized)
    return env
