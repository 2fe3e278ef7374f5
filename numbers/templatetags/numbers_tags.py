import segno
from django import template
from django.template import engines
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag(takes_context=True)
def number_cards(context, numbers):
    """The cards of ``numbers``, rendered from the one Jinja2 card.

    They are not kept in the cache: the 24 cards of a page render in about 1.3 ms,
    and keeping them in Redis cost more than that on every page whose cards were not
    kept yet (the long tail of searches), for a saving only on the rare page that was
    not kept whole (``accounts.pages``) but whose cards were.
    """
    request = context.get("request")
    search = context.get("search") or {}
    values = {
        "q": search.get("q", ""),
        "pos": search.get("pos", "any"),
        "slugs": search.get("pattern") or (),
        "shortlist": context.get("shortlist"),
        "shortlist_url": reverse("shortlist"),
        "request": request,
        "next_path": context.get("next_path") or (request.get_full_path() if request else ""),
        "csrf_token": str(context.get("csrf_token", "")),
    }
    card = engines["jinja2"].env.get_template(CARD_TEMPLATE)
    return mark_safe("".join(card.render(values, number=number) for number in numbers))  # noqa: S308


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
