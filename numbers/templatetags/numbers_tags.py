import segno
from django import template
from django.conf import settings
from django.core.cache import cache
from django.template import engines
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from accounts.cache import content_version
from numbers import pricing
from numbers.patterns import format_number, highlight_spans

register = template.Library()


@register.filter
def phone(value):
    """Group ten digits for reading: 4006328888 → 400-632-8888; anything else unchanged."""
    try:
        return format_number(str(value))
    except ValueError:
        return value


CARD_TEMPLATE = "numbers/number_card.html"  # Jinja2 (reseller/jinja.py)
SHORTLIST_BUTTON = "numbers/shortlist_button.html"  # Jinja2, included by the card
CARD_SECONDS = 3600
# Stand-ins for what is the visitor's own in a kept card, written in for each page.
CARD_CSRF = "number-card-csrf-token"
CARD_NEXT = "number-card-next-path"


@register.simple_tag(takes_context=True)
def number_cards(context, numbers):
    """The cards of ``numbers``: each one rendered once, then kept for every visitor.

    One cache round trip fetches the page's cards. A card is kept per language, per
    highlighted search and per generation of the content, under the values it shows
    that change without a generation (status, price, views), so a stale card is never
    found. Cards of the visitor's shortlist (their own "remove" button) and held
    numbers (a countdown that moves with the clock) are rendered each time.
    """
    numbers = list(numbers)
    request = context.get("request")
    if not numbers:
        return ""
    search = context.get("search") or {}
    values = {
        "q": search.get("q", ""),
        "pos": search.get("pos", "any"),
        "slugs": search.get("pattern") or (),
        "shortlist": context.get("shortlist"),
        "shortlist_url": reverse("shortlist"),
        "request": request,
    }
    own_next = context.get("next_path") or (request.get_full_path() if request else "")
    own_csrf = str(context.get("csrf_token", ""))
    card = engines["jinja2"].env.get_template(CARD_TEMPLATE)
    if not settings.PAGE_CACHE_SECONDS or request is None:
        own = {**values, "next_path": own_next, "csrf_token": own_csrf}
        return mark_safe("".join(card.render(own, number=number) for number in numbers))  # noqa: S308

    shortlisted = set(getattr(context.get("shortlist"), "digits", ()))
    prefix = ":".join(
        [
            "card",
            get_language(),
            str(content_version()),
            values["q"],
            values["pos"],
            ",".join(values["slugs"]),
        ]
    )
    keys = {
        number.pk: f"{prefix}:{number.pk}:{number.status}:{number.price}:{number.view_count}"
        for number in numbers
        if number.number not in shortlisted and not number.is_held
    }
    kept = cache.get_many(list(keys.values()))
    fresh = {}
    html = []
    stand_ins = {**values, "next_path": CARD_NEXT, "csrf_token": CARD_CSRF}
    for number in numbers:
        key = keys.get(number.pk)
        if key is None:
            html.append(card.render(values, number=number, next_path=own_next, csrf_token=own_csrf))
            continue
        if key not in kept:
            fresh[key] = kept[key] = card.render(stand_ins, number=number)
        html.append(kept[key])
    if fresh:
        cache.set_many(fresh, CARD_SECONDS)
    joined = "".join(html).replace(CARD_CSRF, escape(own_csrf)).replace(CARD_NEXT, escape(own_next))
    return mark_safe(joined)  # noqa: S308 - rendered templates, and escaped values written in


@register.simple_tag(takes_context=True)
def shortlist_button(context, number):
    """The shortlist button of ``number`` on a Django template's page (see CARD_TEMPLATE)."""
    button = engines["jinja2"].env.get_template(SHORTLIST_BUTTON)
    return mark_safe(  # noqa: S308 - a rendered template
        button.render(
            number=number,
            shortlist=context.get("shortlist"),
            next_path=context.get("next_path"),
            request=context.get("request"),
            csrf_token=str(context.get("csrf_token", "")),
        )
    )


@register.filter
def choice_inputs(field) -> list[tuple[str, str, str, bool]]:
    """A radio or checkbox field's choices as (id, value, label, checked), ids as Django's.

    Iterating the bound field instead builds a widget context per choice (attributes
    copied, options grouped): most of the catalogue's search form, with 21 choices.
    """
    value = field.value()
    if value in (None, ""):
        chosen = set()
    elif isinstance(value, (list, tuple)):
        chosen = {str(item) for item in value}
    else:
        chosen = {str(value)}
    return [
        (f"{field.auto_id}_{index}", str(choice), label, str(choice) in chosen)
        for index, (choice, label) in enumerate(field.field.choices)
    ]


@register.simple_tag
def highlighted(digits, q="", pos="any", slugs=()):
    """The number grouped 400-632-8888 with the searched digits in <mark>."""
    try:
        span = highlight_spans(digits, q, pos or "any", slugs or ())
    except ValueError:
        span = None
    digits = str(digits)
    # Only digits need no escaping (a card's always are; anything else is escaped).
    parts = list(digits) if digits.isascii() and digits.isdigit() else map(escape, digits)
    start, end = span or (-1, -1)
    out = []
    for index, digit in enumerate(parts):
        if index in (3, 6):
            out.append("-")
        if index == start:
            out.append("<mark>")
        out.append(digit)
        if index == end - 1:
            out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped digits only


@register.filter
def price(yuan_per_year):
    """The one way a yearly price is printed, in pages and e-mails: 25000 → ¥25,000/年.

    The digits are the same in every language; "/年" reads "/year" on English pages.
    """
    try:
        amount = pricing.whole_yuan(int(yuan_per_year))
    except (TypeError, ValueError):
        return ""
    return gettext("%(price)s/year") % {"price": amount}


@register.filter
def money(fen):
    """An amount in fen (monthly minimum, per-minute rate, totals): 208333 → ¥2,083.33."""
    try:
        return pricing.money(int(fen))
    except (TypeError, ValueError):
        return ""


@register.filter
def grouped(value):
    """Whole numbers with thousands separators in every language: 25000 → 25,000."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def monthly_minimum_fen(annual_fee):
    """A plan's monthly minimum in fen, as the calculator works it out."""
    return pricing.monthly_minimum_fen(int(annual_fee))


@register.simple_tag
def qr_code(data: str, label: str = ""):
    """``data`` as a QR code in inline SVG, made here (no outside service); scannable by WeChat.

    Error correction "M" survives a crease or a glare on a printed page.
    """
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=4, border=4, svgclass="qr-code", lineclass="qr-code__modules")
    title = f"<title>{escape(label)}</title>" if label else ""
    return mark_safe(  # noqa: S308 - segno's SVG of escaped data, and an escaped title
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1).replace(
            ">", f">{title}", 1
        )
    )
