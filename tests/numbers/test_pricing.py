"""The plan calculator's arithmetic, free of Django."""

import pytest

from numbers.pricing import estimate, monthly_minimum_fen, yuan


def test_monthly_minimum_is_the_annual_fee_over_twelve_rounded_up_to_the_fen():
    assert monthly_minimum_fen(24000) == 200000
    assert monthly_minimum_fen(25000) == 208334  # 2,083.33… → 2,083.34
    assert monthly_minimum_fen(0) == 0


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
