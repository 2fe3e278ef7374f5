from numbers.models import REFERENCE_ALPHABET, REFERENCE_LENGTH
from numbers.patterns import NUMBER_RE


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
