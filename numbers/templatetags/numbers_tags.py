from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
def yuan(fen):
    """Fen as yuan: 123456 → 1,234.56."""
    return pricing.yuan(int(fen))


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
