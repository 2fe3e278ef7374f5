from django import template

from numbers.patterns import format_number

register = template.Library()


@register.filter
def phone(value):
    """Group ten digits for reading: 4006328888 → 400-632-8888; anything else unchanged."""
    try:
        return format_number(str(value))
    except ValueError:
        return value
