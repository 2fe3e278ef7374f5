"""The catalogue's search helpers in numbers.patterns (pure)."""

import re

import pytest

from numbers.patterns import exclusion_regex, highlight_spans, reversed_tail_regex


@pytest.mark.parametrize(
    ("q", "digits", "found"),
    [
        ("8888", "4006328888", True),
        ("8*88", "4006328788", True),
        ("2888", "4006328888", False),
        ("*", "4006328888", True),
    ],
)
def test_reversed_tail_regex_matches_the_end_on_reversed_digits(q, digits, found):
    assert bool(re.search(reversed_tail_regex(q), digits[::-1])) is found


@pytest.mark.parametrize("q", ["", "8a", "12345678901", "8-8"])
def test_reversed_tail_regex_refuses_bad_searches(q):
    with pytest.raises(ValueError):
        reversed_tail_regex(q)


@pytest.mark.parametrize(
    ("excluded", "digits", "kept"),
    [
        ("4", "4006328888", True),
        ("4", "4006328848", False),
        ("47", "4007328888", False),
        ("0", "4006328888", True),
        ("0", "4006308888", False),
    ],
)
def test_exclusion_regex_ignores_the_400_prefix(excluded, digits, kept):
    assert bool(re.search(exclusion_regex(excluded), digits)) is kept


@pytest.mark.parametrize("excluded", ["", "x", "0123456789"])
def test_exclusion_regex_refuses_bad_digits(excluded):
    with pytest.raises(ValueError):
        exclusion_regex(excluded)


def test_highlight_is_the_match_or_the_longest_class_tail():
    assert highlight_spans("4006328888", "632", "start") == (3, 6)
    assert highlight_spans("4006328888", "", "any", ["a4", "a3"]) == (6, 10)
    assert highlight_spans("4006328888", "", "any", ["aabb"]) is None
    assert highlight_spans("4006328888", "777", "any") is None
