from numbers.patterns import NUMBER_RE
from numbers.references import REFERENCE_ALPHABET, REFERENCE_LENGTH


class NumberConverter:
    """Ten digits starting with 400, as in /numbers/4006328888/."""

    regex = NUMBER_RE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class OrderReferenceConverter:
    """An order's public reference, as in /orders/ZC7K3F9Q/."""

    regex = f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
