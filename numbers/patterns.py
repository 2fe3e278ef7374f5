"""Vanity-pattern classification of 400 numbers (靓号规律), free of Django.

Two subtleties run through this module:

* A pattern's "tail" is the last digits of the full ten-digit number, so a
  pattern counts only at the very end: 4006888801 holds 8888 but is not ``a4``.
* Every number starts with "400", and that prefix itself holds a 4. Digit rules
  such as "no 4" therefore look only at the seven digits after the prefix.

The slugs in ``PATTERN_SLUGS`` are part of the catalogue's URL contract.
"""

import re
from collections.abc import Callable
from itertools import pairwise

PREFIX = "400"

# Unanchored, so it also serves as a URL converter's regex.
NUMBER_RE = r"400[0-9]{7}"

PATTERN_SLUGS = (
    "a3",
    "a4",
    "a5",
    "a6",
    "aabb",
    "abab",
    "abba",
    "aabbcc",
    "abcabc",
    "ababab",
    "run3",
    "run4",
    "run5",
    "down4",
)

POSITIONS = ("any", "start", "end")

_QUERY_RE = r"[0-9*]{1,10}"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789", "-－")


def _one_digit(length: int) -> Callable[[str], bool]:
    """Rule: the last ``length`` digits are one digit repeated."""
    return lambda digits: len(set(digits[-length:])) == 1


def _shaped(template: str, *unequal: str) -> Callable[[str], bool]:
    """Rule: the tail follows ``template`` (same letter, same digit).

    Each two-letter string in ``unequal`` names letters whose digits must differ.
    """

    def rule(digits: str) -> bool:
        letters: dict[str, str] = {}
        for letter, digit in zip(template, digits[-len(template) :], strict=True):
            if letters.setdefault(letter, digit) != digit:
                return False
        return all(letters[a] != letters[b] for a, b in unequal)

    return rule


def _abcabc(digits: str) -> bool:
    """Rule: the last six are one block of three said twice, not all one digit."""
    return digits[-6:-3] == digits[-3:] and len(set(digits[-6:])) > 1


def _steps(length: int, step: int) -> Callable[[str], bool]:
    """Rule: each of the last ``length`` digits is ``step`` more than the one before.

    Plain arithmetic, so 0 never follows 9 and 9 never follows 0.
    """
    return lambda digits: all(
        int(after) - int(before) == step for before, after in pairwise(digits[-length:])
    )


_RULES: dict[str, Callable[[str], bool]] = {
    "a3": _one_digit(3),
    "a4": _one_digit(4),
    "a5": _one_digit(5),
    "a6": _one_digit(6),
    "aabb": _shaped("AABB", "AB"),
    "abab": _shaped("ABAB", "AB"),
    "abba": _shaped("ABBA", "AB"),
    "aabbcc": _shaped("AABBCC", "AB", "BC"),
    "abcabc": _abcabc,
    "ababab": _shaped("ABABAB", "AB"),
    "run3": _steps(3, 1),
    "run4": _steps(4, 1),
    "run5": _steps(5, 1),
    "down4": _steps(4, -1),
}


def is_valid_number(digits: str) -> bool:
    """Whether ``digits`` is exactly ten ASCII digits starting with "400"."""
    return re.fullmatch(NUMBER_RE, digits) is not None


def _require_number(digits: str) -> None:
    """Raise ValueError unless ``digits`` is a valid 400 number."""
    if not is_valid_number(digits):
        raise ValueError(f"not a ten-digit 400 number: {digits!r}")


def normalize_number(text: str) -> str:
    """Turn typed input into plain digits, without validating it.

    Full-width digits become ASCII; hyphens (also full-width) and any
    whitespace (including the ideographic space) are dropped.
    """
    return "".join(text.translate(_FULL_WIDTH).split())


def classify(digits: str) -> list[str]:
    """Every pattern slug the number satisfies, in ``PATTERN_SLUGS`` order."""
    _require_number(digits)
    return [slug for slug in PATTERN_SLUGS if _RULES[slug](digits)]


def has_no_digits(digits: str, excluded: str) -> bool:
    """Whether none of the ``excluded`` digits occurs after the "400" prefix."""
    _require_number(digits)
    return not set(excluded) & set(digits[len(PREFIX) :])


def format_number(digits: str) -> str:
    """Group ten digits 3-3-4 for display: "4006328888" -> "400-632-8888"."""
    if re.fullmatch(r"[0-9]{10}", digits) is None:
        raise ValueError(f"not ten digits: {digits!r}")
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def wildcard_regex(q: str, pos: str) -> str:
    """A regex, valid in Python and PostgreSQL, for a catalogue search.

    ``q`` is 1-10 of 0-9 and "*" (any one digit). ``pos`` is "any" (anywhere in
    the ten digits), "start" (right after "400") or "end" (at the very end).
    """
    if re.fullmatch(_QUERY_RE, q) is None:
        raise ValueError(f"not a search pattern: {q!r}")
    body = q.replace("*", "[0-9]")
    if pos == "any":
        return body
    if pos == "start":
        return f"^{PREFIX}{body}"
    if pos == "end":
        return f"{body}$"
    raise ValueError(f"not a search position: {pos!r}")


def match_span(digits: str, q: str, pos: str) -> tuple[int, int] | None:
    """Where ``q`` matches in the number (the first match for "any"), or None.

    The span is ``(start, end)`` into ``digits``, ready for slicing.
    """
    _require_number(digits)
    match = re.search(wildcard_regex(q, pos), digits)
    if match is None:
        return None
    # q always ends the regex and matches exactly len(q) digits.
    return match.end() - len(q), match.end()


def reversed_tail_regex(q: str) -> str:
    """The regex for ``q`` at the end of a number, to run on its reversed digits.

    Searching the reversed digits from their start lets a prefix index answer
    a search "at the end".
    """
    if re.fullmatch(_QUERY_RE, q) is None:
        raise ValueError(f"not a search pattern: {q!r}")
    return "^" + q[::-1].replace("*", "[0-9]")


def placements(q: str, pos: str) -> list[dict[int, str]]:
    """Every place ``q`` can sit in a 400 number, as the digits it fixes there.

    One entry per offset that agrees with the "400" prefix: a map from position
    (3-9, counted from 0 over the ten digits) to the digit ``q`` puts there; ``*``
    fixes nothing. An empty list: no number can match; an empty entry: all can.
    """
    if re.fullmatch(_QUERY_RE, q) is None:
        raise ValueError(f"not a search pattern: {q!r}")
    if pos == "start":
        offsets = range(len(PREFIX), len(PREFIX) + 1) if len(q) <= 7 else range(0)
    elif pos == "end":
        offsets = range(10 - len(q), 11 - len(q))
    elif pos == "any":
        offsets = range(11 - len(q))
    else:
        raise ValueError(f"not a search position: {pos!r}")
    found: list[dict[int, str]] = []
    for offset in offsets:
        fixed: dict[int, str] = {}
        for index, char in enumerate(q, start=offset):
            if char == "*":
                continue
            if index < len(PREFIX):
                if char != PREFIX[index]:
                    break
            else:
                fixed[index] = char
        else:
            if fixed not in found:
                found.append(fixed)
    return found


def digit_pair_tokens(fixed: dict[int, str]) -> list[int]:
    """The digit-pair tokens that say a number has ``fixed`` digits (two or more).

    A token is ``(i * 10 + j) * 100 + digit_i * 10 + digit_j`` for positions
    i < j; the database indexes all 21 of a number's pairs (positions 3-9), and a
    chain of consecutive fixed positions names the fixed digits exactly.
    """
    positions = sorted(fixed)
    return [(i * 10 + j) * 100 + int(fixed[i]) * 10 + int(fixed[j]) for i, j in pairwise(positions)]


def all_digit_pair_tokens(digits: str) -> list[int]:
    """All 21 tokens of a number, as the database's ``number_digit_pairs()`` computes them."""
    _require_number(digits)
    return [
        (i * 10 + j) * 100 + int(digits[i]) * 10 + int(digits[j])
        for i in range(len(PREFIX), 9)
        for j in range(i + 1, 10)
    ]


def exclusion_regex(excluded: str) -> str:
    """A regex (Python and PostgreSQL) for numbers with none of ``excluded`` after "400"."""
    if re.fullmatch(r"[0-9]{1,9}", excluded) is None:
        raise ValueError(f"not digits to exclude: {excluded!r}")
    return f"^{PREFIX}[^{''.join(sorted(set(excluded)))}]{{7}}$"


# How many trailing digits each class is about, for highlighting them.
TAIL_LENGTHS = {
    "a3": 3, "a4": 4, "a5": 5, "a6": 6, "aabb": 4, "abab": 4, "abba": 4,
    "aabbcc": 6, "abcabc": 6, "ababab": 6, "run3": 3, "run4": 4, "run5": 5, "down4": 4,
}  # fmt: skip


def highlight_spans(digits: str, q: str = "", pos: str = "any", slugs=()) -> tuple[int, int] | None:
    """The span to highlight: where ``q`` matched, else the longest tail of the given classes."""
    if q:
        return match_span(digits, q, pos)
    classes = set(classify(digits)) & set(slugs)
    if not classes:
        return None
    length = max(TAIL_LENGTHS[slug] for slug in classes)
    return len(digits) - length, len(digits)
