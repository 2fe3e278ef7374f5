"""Mainland China mobile numbers as customers type them, free of Django.

People type on phones: full-width digits (１３８), the ideographic space, hyphens,
a leading +86 or 0086. All of that is accepted; the ranges themselves come from
the ``phonenumbers`` library, which follows the operators' allocations.
"""

import unicodedata

import phonenumbers

_SEPARATORS = str.maketrans("", "", " -()")


def normalize_mobile(text: str) -> str:
    """Typed input with full-width characters and separators flattened, not validated."""
    flat = unicodedata.normalize("NFKC", text)
    return "".join(flat.split()).translate(_SEPARATORS)


def mainland_mobile(text: str) -> str | None:
    """The eleven national digits of a valid mainland mobile in ``text``, or None."""
    typed = normalize_mobile(text)
    if not typed or len(typed) > 20:
        return None
    try:
        parsed = phonenumbers.parse(typed, "CN")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    national = str(parsed.national_number)
    return national if len(national) == 11 else None


def mask_mobile(mobile: str) -> str:
    """138****8000: enough for a customer to recognise, too little to reuse."""
    if len(mobile) != 11:
        return mobile
    return f"{mobile[:3]}****{mobile[-4:]}"
