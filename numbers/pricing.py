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

    @property
    def yearly_fen(self) -> int:
        return 12 * self.monthly_fen


def monthly_minimum_fen(annual_fee_yuan: int) -> int:
    """The annual fee spread over twelve months, rounded up to the fen."""
    return -(-annual_fee_yuan * 100 // 12)


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
    )


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators: 123456 -> "1,234.56"."""
    return f"{fen // 100:,}.{fen % 100:02d}"
