import segno
from django import template
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


@register.simple_tag
def highlighted(digits, q="", pos="any", slugs=()):
    """The number grouped 400-632-8888 with the searched digits in <mark>."""
    try:
        span = highlight_spans(digits, q, pos or "any", slugs or ())
    except ValueError:
        span = None
    parts = []
    for index, digit in enumerate(digits):
        if index in (3, 6):
            parts.append("-")
        if span and index == span[0]:
            parts.append("<mark>")
        parts.append(escape(digit))
        if span and index == span[1] - 1:
            parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped digits only


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
