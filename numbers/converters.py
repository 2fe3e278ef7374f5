from numbers.patterns import NUMBER_RE


class NumberConverter:
    """Ten digits starting with 400, as in /numbers/4006328888/."""

    regex = NUMBER_RE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
