"""The catalogue's search helpers in numbers.patterns (pure)."""

import random
import re

import pytest

from numbers.patterns import (
    exclusion_regex,
    highlight_spans,
    position_offsets,
    position_tokens,
    reversed_tail_regex,
    wildcard_regex,
)


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


@pytest.mark.parametrize(
    ("q", "pos", "offsets"),
    [
        ("888", "start", [3]),
        ("888", "end", [7]),
        ("8*88", "any", list(range(7))),
        ("4006328888", "any", [0]),
    ],
)
def test_position_offsets(q, pos, offsets):
    assert list(position_offsets(q, pos)) == offsets


def test_position_tokens_skip_wildcards():
    assert position_tokens("8*88", 3) == ["38", "58", "68"]


@pytest.mark.parametrize("pos", ["any", "start", "end"])
def test_tokens_find_exactly_what_the_regex_finds(pos):
    rng = random.Random(3)
    numbers = [f"400{rng.randrange(10**7):07d}" for _ in range(3000)]
    for q in ["8*8", "1**2", "*5*", "6*68", "2*8*8"]:
        by_regex = {n for n in numbers if re.search(wildcard_regex(q, pos), n)}
        by_tokens = {
            n
            for n in numbers
            for offset in position_offsets(q, pos)
            if set(position_tokens(q, offset)) <= {f"{i}{c}" for i, c in enumerate(n)}
        }
        assert by_tokens == by_regex, q
