"""The plan calculator's arithmetic, free of Django."""

import pytest

from numbers.pricing import estimate, money, monthly_minimum_fen, whole_yuan, yuan


def test_monthly_minimum_is_the_annual_fee_over_twelve_to_the_nearest_fen():
    assert monthly_minimum_fen(24000) == 200000
    assert monthly_minimum_fen(25000) == 208333  # 2,083.333… → 2,083.33
    assert monthly_minimum_fen(1) == 8  # 8.33… fen
    assert monthly_minimum_fen(0) == 0


def test_the_year_total_of_a_plan_used_within_its_minutes_is_exactly_its_annual_fee():
    result = estimate(annual_fee_yuan=25000, included_minutes=13888, per_minute_fen=15, minutes=0)

    assert result.yearly_fen == 2_500_000
    assert money(result.yearly_fen) == "¥25,000.00"


def test_the_year_total_adds_twelve_months_of_extra_minutes_to_the_fee():
    result = estimate(annual_fee_yuan=25000, included_minutes=100, per_minute_fen=15, minutes=110)

    assert result.yearly_fen == 2_500_000 + 12 * 150


def test_minutes_within_the_plan_cost_only_the_minimum():
    result = estimate(annual_fee_yuan=24000, included_minutes=1000, per_minute_fen=15, minutes=1000)

    assert (result.extra_minutes, result.extra_fen, result.monthly_fen, result.yearly_fen) == (
        0,
        0,
        200000,
        2400000,
    )


def test_minutes_beyond_the_plan_are_charged_per_minute():
    result = estimate(annual_fee_yuan=24000, included_minutes=1000, per_minute_fen=15, minutes=1001)

    assert (result.extra_minutes, result.extra_fen, result.monthly_fen) == (1, 15, 200015)


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        estimate(annual_fee_yuan=1, included_minutes=0, per_minute_fen=1, minutes=-1)


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1,234.56"), (100, "1.00")]
)
def test_yuan_formats_fen(fen, text):
    assert yuan(fen) == text


@pytest.mark.parametrize(
    ("fen", "text"),
    [(2_500_000, "¥25,000.00"), (208_333, "¥2,083.33"), (15, "¥0.15"), (0, "¥0.00")],
)
def test_money_prints_yuan_and_fen_with_thousands_separators(fen, text):
    assert money(fen) == text


def test_whole_yuan_prices_have_thousands_separators():
    assert whole_yuan(25000) == "¥25,000"
    assert whole_yuan(800) == "¥800"
