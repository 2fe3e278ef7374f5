"""What a plan costs for a given use, free of Django (the number page's calculator)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """Monthly figures in fen (1/100 yuan), so that nothing is lost to rounding."""

    minutes: int
    included_minutes: int
    extra_minutes: int
    monthly_minimum_fen: int
    extra_fen: int

    @property
    def monthly_fen(self) -> int:
        return self.monthly_minimum_fen + self.extra_fen

    annual_fee_fen: int = 0

    @property
    def yearly_fen(self) -> int:
        """The annual fee itself plus twelve months of extra minutes: the total matches the fee.

        (Twelve rounded monthly minimums would not: 12 × ¥2,083.33 is ¥24,999.96.)
        """
        return self.annual_fee_fen + 12 * self.extra_fen


def monthly_minimum_fen(annual_fee_yuan: int) -> int:
    """The annual fee spread over twelve months, to the nearest fen (half a fen up)."""
    return (annual_fee_yuan * 100 * 2 + 12) // 24


def estimate(
    *, annual_fee_yuan: int, included_minutes: int, per_minute_fen: int, minutes: int
) -> Estimate:
    """The monthly bill: the minimum covers the included minutes; the rest is per minute."""
    if minutes < 0:
        raise ValueError("minutes cannot be negative")
    extra = max(0, minutes - included_minutes)
    return Estimate(
        minutes=minutes,
        included_minutes=included_minutes,
        extra_minutes=extra,
        monthly_minimum_fen=monthly_minimum_fen(annual_fee_yuan),
        extra_fen=extra * per_minute_fen,
        annual_fee_fen=annual_fee_yuan * 100,
    )


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators: 123456 -> "1,234.56"."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def money(fen: int) -> str:
    """An amount in fen as a bill prints it: 208333 -> "¥2,083.33", 2500000 -> "¥25,000.00".

    Thousands separators in every language, whatever the locale's own habit.
    """
    return f"¥{yuan(fen)}"


def whole_yuan(yuan: int) -> str:
    """A price in whole yuan: 25000 -> "¥25,000"."""
    return f"¥{yuan:,}"
