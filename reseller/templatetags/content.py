"""Content that staff type in Chinese with an optional English version beside it."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, field: str):
    """``obj.<field>_en`` on English pages when staff filled it in, else ``obj.<field>``.

    {{ plan|localized:"name" }} reads "Standard" on /en/ and "标准套餐" everywhere else.
    """
    if obj is None:
        return ""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")
