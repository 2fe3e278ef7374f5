"""Company names as customers type them, free of Django.

One company arrives spelled many ways: 广州示例贸易有限公司, ＧＵＡＮＧＺＨＯＵ, a space
or a bracket here and there, full-width or half-width, upper or lower case. The key
below is the same for all of them, so holds can be counted per company.
"""

import unicodedata

# Letters, marks and digits make a name; punctuation, symbols and spaces do not.
_KEPT_CATEGORIES = frozenset("LMN")


def company_key(name: str) -> str:
    """``name`` without width, case, spaces or punctuation: 'Acme (GZ) Ltd.' → 'acmegzltd'."""
    flat = unicodedata.normalize("NFKC", name).casefold()
    return "".join(char for char in flat if unicodedata.category(char)[0] in _KEPT_CATEGORIES)
