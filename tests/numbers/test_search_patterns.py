"""The catalogue's search helpers in numbers.patterns (pure)."""

import random
import re

import pytest

from numbers.patterns import (
    all_digit_pair_tokens,
    digit_pair_tokens,
    exclusion_regex,
    highlight_spans,
    placements,
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


def _matches_by_placements(q: str, pos: str, digits: str) -> bool:
    """A number matches when it has every digit one of q's placements fixes."""
    return any(
        all(digits[index] == digit for index, digit in fixed.items())
        for fixed in placements(q, pos)
    )


def _matches_by_tokens(q: str, pos: str, digits: str) -> bool:
    """What the digit-pairs index answers: every token of a placement among the number's."""
    tokens = set(all_digit_pair_tokens(digits))
    return any(
        set(digit_pair_tokens(fixed)) <= tokens
        if len(fixed) > 1
        else all(digits[index] == digit for index, digit in fixed.items())
        for fixed in placements(q, pos)
    )


@pytest.mark.parametrize("pos", ["any", "start", "end"])
def test_placements_and_pair_tokens_agree_with_the_regex(pos):
    rng = random.Random(f"placements-{pos}")
    for _ in range(3_000):
        digits = f"400{rng.randrange(10_000_000):07d}"
        if rng.random() < 0.3:
            digits = digits[:6] + "8" + digits[7] + "88"  # make matches for 8*88 likely
        q = "".join(rng.choice("0123456789**4008") for _ in range(rng.randint(1, 7)))
        expected = re.search(wildcard_regex(q, pos), digits) is not None
        assert _matches_by_placements(q, pos, digits) is expected, (q, pos, digits)
        assert _matches_by_tokens(q, pos, digits) is expected, (q, pos, digits)


def test_placements_respect_the_400_prefix():
    assert placements("8*88", "any") == [
        {3: "8", 5: "8", 6: "8"},
        {4: "8", 6: "8", 7: "8"},
        {5: "8", 7: "8", 8: "8"},
        {6: "8", 8: "8", 9: "8"},
    ]
    assert placements("0088", "any")[0] == {3: "8", 4: "8"}  # "400" + "88…"
    assert placements("40", "any")[0] == {}  # every number starts so
    assert placements("12345678", "start") == []  # only seven digits follow 400
    assert placements("8*88", "end") == [{6: "8", 8: "8", 9: "8"}]


def test_pair_tokens_chain_the_fixed_positions():
    assert digit_pair_tokens({6: "8", 8: "8", 9: "8"}) == [6888, 8988]
    assert len(all_digit_pair_tokens("4006328888")) == 21
    assert 6888 in all_digit_pair_tokens("4006328888")
