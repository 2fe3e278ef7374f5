"""Tests for the pure vanity-pattern module; no database, no Django."""

import random
import re
from itertools import product

import pytest

from numbers.patterns import (
    PATTERN_SLUGS,
    classify,
    format_number,
    has_no_digits,
    is_valid_number,
    match_span,
    normalize_number,
    wildcard_regex,
)


def reference_classify(digits: str) -> list[str]:
    """An independent, deliberately plain restatement of DESIGN.md's table."""
    d = [int(c) for c in digits]
    found = []
    for n in (3, 4, 5, 6):
        if all(x == d[-1] for x in d[-n:]):
            found.append(f"a{n}")
    a, b, c, e = d[-4:]
    if a == b and c == e and a != c:
        found.append("aabb")
    if a == c and b == e and a != b:
        found.append("abab")
    if a == e and b == c and a != b:
        found.append("abba")
    s1, s2, s3, s4, s5, s6 = d[-6:]
    if s1 == s2 and s3 == s4 and s5 == s6 and s1 != s3 and s3 != s5:
        found.append("aabbcc")
    if (s1, s2, s3) == (s4, s5, s6) and not s1 == s2 == s3:
        found.append("abcabc")
    if s1 == s3 == s5 and s2 == s4 == s6 and s1 != s2:
        found.append("ababab")
    for n in (3, 4, 5):
        if all(d[-n + i] == d[-n] + i for i in range(n)):
            found.append(f"run{n}")
    if all(d[-4 + i] == d[-4] - i for i in range(4)):
        found.append("down4")
    return found


def test_pattern_slugs_follow_the_design_table_order():
    assert PATTERN_SLUGS == (
        "a3", "a4", "a5", "a6", "aabb", "abab", "abba",
        "aabbcc", "abcabc", "ababab", "run3", "run4", "run5", "down4",
    )  # fmt: skip


# --- is_valid_number ---------------------------------------------------------


@pytest.mark.parametrize("digits", ["4006328888", "4000000000", "4009999999"])
def test_ten_digits_starting_with_400_are_valid(digits):
    assert is_valid_number(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "",
        "400632888",  # nine digits
        "40063288881",  # eleven digits
        "4006328a88",  # a letter
        "400-632-8888",  # not normalised
        "4016328888",  # prefix 401
        "8006328888",  # prefix 800
        "0400632888",  # 400 not at the start
        "４００６３２８８８８",  # full-width digits are not ASCII
        "4006328888\n",  # trailing newline
        " 4006328888",
    ],
)
def test_anything_but_ten_ascii_digits_after_400_is_invalid(digits):
    assert not is_valid_number(digits)


# --- normalize_number --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "4006328888",
        "400 632 8888",
        "400-632-8888",
        "４００６３２８８８８",
        "４００－６３２－８８８８",
        "４００\u3000６３２\u3000８８８８",
        "  400-632 8888\t",
    ],
)
def test_normalize_number_strips_separators_and_converts_full_width_digits(text):
    assert normalize_number(text) == "4006328888"


def test_normalize_number_does_not_validate():
    assert normalize_number("12-ab") == "12ab"


# --- classify: each slug, positive and negative -------------------------------


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("4006328885", []),
        ("4006325888", ["a3"]),
        ("4006328888", ["a3", "a4"]),
        ("4006388888", ["a3", "a4", "a5"]),
        ("4006888888", ["a3", "a4", "a5", "a6"]),
        ("4008888888", ["a3", "a4", "a5", "a6"]),
        ("4006326688", ["aabb"]),
        ("4006326868", ["abab"]),
        ("4006326886", ["abba"]),
        ("4006668899", ["aabb", "aabbcc"]),
        ("4006668866", ["aabb", "aabbcc"]),  # A may equal C
        ("4006518518", ["abcabc"]),
        ("4006121121", ["abcabc"]),
        ("4006686868", ["abab", "ababab"]),
        ("4006320789", ["run3"]),
        ("4006325678", ["run3", "run4"]),
        ("4006345678", ["run3", "run4", "run5"]),
        ("4006329876", ["down4"]),
        ("4006323210", ["down4"]),
    ],
)
def test_classify_finds_exactly_the_satisfied_classes_in_slug_order(digits, expected):
    assert classify(digits) == expected


def test_ababab_tail_is_also_abab_but_not_abcabc():
    # 686868: ABAB on the last four; its halves 686 and 868 differ, so no ABCABC.
    assert classify("4006686868") == ["abab", "ababab"]


def test_four_of_a_kind_is_a3_and_a4_but_not_aabb_abab_or_abba():
    assert classify("4006328888") == ["a3", "a4"]


def test_six_of_a_kind_is_not_abcabc_aabbcc_or_ababab():
    assert classify("4006888888") == ["a3", "a4", "a5", "a6"]


@pytest.mark.parametrize(
    ("digits", "absent"),
    [
        ("4006888801", "a4"),  # 8888 is not at the very end
        ("4006888810", "a3"),
        ("4008888801", "a5"),
        ("4008888881", "a6"),
        ("4006668801", "aabb"),
        ("4006686801", "abab"),
        ("4006688601", "abba"),
        ("4006688991", "aabbcc"),
        ("4005185181", "abcabc"),
        ("4006868681", "ababab"),
        ("4006678901", "run3"),
        ("4006567801", "run4"),
        ("4003456781", "run5"),
        ("4006987601", "down4"),
    ],
)
def test_a_pattern_counts_only_at_the_very_end(digits, absent):
    assert absent not in classify(digits)


@pytest.mark.parametrize(
    ("digits", "absent"),
    [
        ("4006326668", "a4"),
        ("4006366888", "a5"),
        ("4006688888", "a6"),
        ("4006326689", "aabb"),
        ("4006326869", "abab"),
        ("4006326887", "abba"),
        ("4006668898", "aabbcc"),
        ("4006668889", "aabbcc"),  # B equals C
        ("4006688899", "aabbcc"),  # A equals B
        ("4006518519", "abcabc"),
        ("4006686869", "ababab"),
        ("4006686886", "ababab"),
    ],
)
def test_a_tail_that_breaks_the_shape_is_not_in_the_class(digits, absent):
    assert absent not in classify(digits)


def test_zero_does_not_follow_nine_in_a_climbing_run():
    assert "run3" in classify("4006320789")  # last three 789
    assert classify("4006327890") == []  # ...7890 is no run at all
    assert "run4" not in classify("4006328901")  # ...8901
    assert "run3" not in classify("4006320890")  # ...890
    assert "run3" in classify("4006329123")


def test_nine_does_not_follow_zero_in_a_falling_run():
    assert classify("4006323210") == ["down4"]
    assert classify("4006321098") == []  # ...1098


def test_a_falling_run_is_not_a_climbing_one():
    assert "run4" not in classify("4006324321")
    assert "down4" not in classify("4006321234")


@pytest.mark.parametrize(
    "digits", ["400632888", "40063288881", "4016328888", "400632888a", "４００６３２８８８８"]
)
def test_classify_rejects_anything_but_a_400_number(digits):
    with pytest.raises(ValueError):
        classify(digits)


# --- classify against the plain reimplementation -------------------------------


def sample_numbers() -> list[str]:
    """Every 4-digit tail, every tail built from three digits, and 100k random ones."""
    numbers = [f"400632{tail:04d}" for tail in range(10_000)]
    numbers += [f"400{tail:07d}" for tail in range(0, 10_000_000, 997)]
    for x, y, z in product("0123456789", repeat=3):
        for tail in (x + y + z + x + y + z, x + x + y + y + z + z, (x + y) * 3):
            numbers += [f"4006{tail}", f"400{z}{tail}"]
    for start in range(10):
        climbing = "".join(str((start + i) % 10) for i in range(6))
        numbers += [f"4000{climbing}", f"4000{climbing[::-1]}"]
    rng = random.Random(400)
    numbers += [f"400{rng.randrange(10_000_000):07d}" for _ in range(100_000)]
    return numbers


def test_classify_agrees_with_a_plain_reimplementation_over_a_large_sample():
    seen: set[str] = set()
    for digits in sample_numbers():
        expected = reference_classify(digits)
        assert classify(digits) == expected, digits
        seen.update(expected)
    assert seen == set(PATTERN_SLUGS)  # the sample exercises every class


def test_every_four_digit_tail_has_the_expected_four_digit_classes():
    counts = dict.fromkeys(("a4", "aabb", "abab", "abba", "run4", "down4"), 0)
    for tail in range(10_000):
        found = classify(f"400632{tail:04d}")
        for slug in counts:
            counts[slug] += slug in found
    # 10 one-digit tails; 90 ordered pairs A≠B for each shape; 7 runs each way.
    assert counts == {"a4": 10, "aabb": 90, "abab": 90, "abba": 90, "run4": 7, "down4": 7}


# --- has_no_digits -----------------------------------------------------------


def test_the_4_in_the_400_prefix_does_not_count_against_exclude_4():
    assert has_no_digits("4006328888", "4")
    assert not has_no_digits("4006348888", "4")


def test_the_0s_in_the_400_prefix_do_not_count_against_exclude_0():
    assert has_no_digits("4006328888", "0")
    assert not has_no_digits("4006308888", "0")


@pytest.mark.parametrize(
    ("digits", "excluded", "expected"),
    [
        ("4006328888", "47", True),
        ("4006328887", "47", False),
        ("4006328888", "8", False),
        ("4001111111", "023456789", True),
        ("4006328888", "", True),
    ],
)
def test_has_no_digits_checks_each_excluded_digit(digits, excluded, expected):
    assert has_no_digits(digits, excluded) is expected


def test_has_no_digits_rejects_an_invalid_number():
    with pytest.raises(ValueError):
        has_no_digits("40063288", "4")


# --- format_number -----------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "formatted"),
    [
        ("4006328888", "400-632-8888"),
        ("4008001234", "400-800-1234"),
        ("8008101234", "800-810-1234"),
    ],
)
def test_format_number_groups_ten_digits_three_three_four(digits, formatted):
    assert format_number(digits) == formatted


@pytest.mark.parametrize(
    "digits", ["400632888", "40063288881", "400-632-8888", "４００６３２８８８８"]
)
def test_format_number_rejects_anything_but_ten_ascii_digits(digits):
    with pytest.raises(ValueError):
        format_number(digits)


# --- wildcard_regex and match_span ---------------------------------------------


@pytest.mark.parametrize(
    ("q", "pos", "regex"),
    [
        ("88*8", "end", "88[0-9]8$"),
        ("632", "start", "^400632"),
        ("6*2", "any", "6[0-9]2"),
        ("*", "any", "[0-9]"),
    ],
)
def test_wildcard_regex_turns_star_into_one_digit_and_anchors_by_position(q, pos, regex):
    assert wildcard_regex(q, pos) == regex


@pytest.mark.parametrize("q", ["", "88a8", "8.8", "88?8", "12345678901", "[0-9]", "８８"])
def test_wildcard_regex_rejects_anything_but_one_to_ten_digits_or_stars(q):
    with pytest.raises(ValueError):
        wildcard_regex(q, "any")


@pytest.mark.parametrize("pos", ["", "middle", "END", "Any"])
def test_wildcard_regex_rejects_an_unknown_position(pos):
    with pytest.raises(ValueError):
        wildcard_regex("88", pos)


@pytest.mark.parametrize(
    ("digits", "q", "pos", "span"),
    [
        ("4006328888", "8888", "end", (6, 10)),
        ("4006328888", "88*8", "end", (6, 10)),
        ("4006328878", "88*8", "end", (6, 10)),
        ("4006328788", "88*8", "end", None),
        ("4006888801", "8888", "end", None),
        ("4006328888", "632", "start", (3, 6)),
        ("4006328888", "6*2", "start", (3, 6)),
        ("4006328888", "*3*", "start", (3, 6)),
        ("4001632888", "632", "start", None),  # 632 occurs, but not right after 400
        ("4006328888", "400", "start", None),  # the prefix itself is not "after 400"
        ("4006328888", "88", "any", (6, 8)),  # the first match
        ("4006328888", "8*8", "any", (6, 9)),
        ("4006328888", "400", "any", (0, 3)),  # "any" covers all ten digits
        ("4006328888", "4006328888", "any", (0, 10)),
        ("4006328888", "**********", "end", (0, 10)),
        ("4006328888", "5", "any", None),
        ("4006328888", "63288881", "start", None),  # runs past the end
    ],
)
def test_match_span_says_where_the_search_matched(digits, q, pos, span):
    assert match_span(digits, q, pos) == span


@pytest.mark.parametrize("pos", ["any", "start", "end"])
def test_match_span_agrees_with_the_regex_it_is_built_on(pos):
    rng = random.Random(pos)
    for _ in range(2_000):
        digits = f"400{rng.randrange(10_000_000):07d}"
        q = "".join(rng.choice("0123456789*") for _ in range(rng.randint(1, 4)))
        span = match_span(digits, q, pos)
        assert (span is not None) == (re.search(wildcard_regex(q, pos), digits) is not None)
        if span is not None:
            start, end = span
            assert end - start == len(q)
            assert all(w in ("*", c) for w, c in zip(q, digits[start:end], strict=True))
            if pos == "start":
                assert start == 3
            if pos == "end":
                assert end == 10


def test_match_span_rejects_an_invalid_number():
    with pytest.raises(ValueError):
        match_span("12345", "1", "any")
