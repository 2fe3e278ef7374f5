"""``seed_numbers``: distinct, classified, realistically priced numbers."""

import io
import random

import pytest
from django.core.management import CommandError, call_command

from numbers.management.commands.seed_numbers import may_have_class, vanity_tail
from numbers.models import Number, NumberStatus
from numbers.patterns import PATTERN_SLUGS, classify
from tests.factories import NumberFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_seeds_the_asked_count_of_distinct_classified_numbers():
    NumberFactory(number="4006328888")
    PlanFactory()
    out = io.StringIO()

    call_command("seed_numbers", count=3000, seed=7, stdout=out)

    assert Number.objects.count() == 3001
    assert "3,000 / 3,000 (100%)" in out.getvalue()
    rows = list(
        Number.objects.values(
            "number",
            "operator",
            "price",
            "reversed_digits",
            *(f"pattern_{s}" for s in PATTERN_SLUGS),
        )
    )
    assert len({row["number"] for row in rows}) == 3001
    prefix_operator = {
        "4000": "unicom",
        "4006": "unicom",
        "4001": "mobile",
        "4007": "mobile",
        "4008": "telecom",
        "4009": "telecom",
    }
    for row in rows:
        classes = set(classify(row["number"]))
        assert {slug for slug in PATTERN_SLUGS if row[f"pattern_{slug}"]} == classes
        assert row["operator"] == prefix_operator[row["number"][:4]]
        assert row["reversed_digits"] == row["number"][::-1]
    found = {slug for row in rows for slug in PATTERN_SLUGS if row[f"pattern_{slug}"]}
    assert found >= {"a3", "a4", "aabb", "abab", "abba", "run3", "run4", "down4"}
    assert Number.objects.filter(status=NumberStatus.AVAILABLE).count() > 2700


def test_rarer_classes_cost_more():
    call_command("seed_numbers", count=3000, seed=11, stdout=io.StringIO())

    def average(**filters):
        prices = list(Number.objects.filter(**filters).values_list("price", flat=True))
        return sum(prices) / len(prices)

    plain = average(**{f"pattern_{slug}": False for slug in PATTERN_SLUGS})
    assert plain < average(pattern_a3=True, pattern_a4=False) < average(pattern_a4=True)


def test_count_must_be_positive():
    with pytest.raises(CommandError):
        call_command("seed_numbers", count=0)


def test_quick_check_never_misses_a_class():
    rng = random.Random(5)
    candidates = [f"40060{i:05d}" for i in range(100_000)]
    candidates += [rng.choice(["4006", "4001"]) + vanity_tail(rng) for _ in range(5000)]
    for digits in candidates:
        if classify(digits):
            assert may_have_class(digits), digits
