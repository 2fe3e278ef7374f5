"""A demo catalogue that looks like a real shop, for ``manage.py seed_demo``.

Every operator and vanity class, prices rising with rarity from a few hundred
yuan to the seed page's ¥25,000, several plans, some featured and some held
numbers. The numbers come from a fixed random seed, so a second run finds them
all present and adds nothing; staff edits to them are kept.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.cache import content_changed
from numbers import patterns
from numbers.models import Number, NumberStatus, Plan, Prefix

# (name, English name, annual fee in yuan, included minutes a month, fen per extra minute, perks)
PLANS = [
    ("入门套餐", "Starter", 600, 300, 15, ""),
    ("标准套餐", "Standard", 1800, 1000, 12, "送彩铃"),
    ("商务套餐", "Business", 4800, 3000, 10, "送彩铃 · 语音导航"),
    ("尊享套餐", "Premium", 12000, 8000, 9, "送彩铃 · 语音导航 · 来电弹屏"),
]
PERKS_EN = {
    "送彩铃": "Free ringback tone",
    "送彩铃 · 语音导航": "Free ringback tone · Voice menu",
    "送彩铃 · 语音导航 · 来电弹屏": "Free ringback tone · Voice menu · Caller pop-up",
}

# Yearly price in yuan by class, rarest first: a number is priced by its rarest class.
CLASS_PRICES = [
    ("a6", 25_000),
    ("a5", 22_000),
    ("ababab", 20_000),
    ("aabbcc", 18_000),
    ("abcabc", 15_000),
    ("a4", 12_000),
    ("run5", 9_000),
    ("aabb", 5_000),
    ("abab", 4_800),
    ("run4", 4_000),
    ("abba", 3_200),
    ("down4", 2_800),
    ("a3", 1_800),
    ("run3", 1_200),
]
DEFAULT_COUNT = 3000
SEED = 4006


def _candidates(rng: random.Random, prefixes: list[str]):
    """Endless distinct-enough digits; one in three ends in a vanity class."""
    digit = "0123456789"
    while True:
        if rng.random() < 0.35:
            a, b, c = rng.sample(digit, 3)
            start = rng.randint(0, 5)
            free = "".join(rng.choices(digit, k=6))
            tail = rng.choice(
                [
                    a * 6,
                    free[:1] + a * 5,
                    free[:2] + a * 4,
                    free[:3] + a * 3,
                    free[:2] + a + a + b + b,
                    free[:2] + a + b + a + b,
                    free[:2] + a + b + b + a,
                    a + a + b + b + c + c,
                    (a + b + c) * 2,
                    (a + b) * 3,
                    free[:3] + "".join(str(start + i) for i in range(3)),
                    free[:2] + "".join(str(start + i) for i in range(4)),
                    free[:1] + "".join(str(start + i) for i in range(5)),
                    free[:2] + "".join(str(9 - start - i) for i in range(4)),
                ]
            )
        else:
            tail = f"{rng.randrange(10**6):06d}"
        yield rng.choice(prefixes) + tail


def price_for(digits: str, rng: random.Random) -> int:
    """Rarer classes cost more; a plain number a few hundred yuan, more without a 4."""
    classes = set(patterns.classify(digits))
    base = next((price for slug, price in CLASS_PRICES if slug in classes), None)
    if base is None:
        base = rng.randrange(3, 9) * 100 + (200 if "4" not in digits[3:] else 0)
    return min(25_000, int(round(base * rng.uniform(0.9, 1.1), -2)))


@transaction.atomic
def demo_catalogue_create(*, count: int = DEFAULT_COUNT, seed: int = SEED) -> int:
    """Make sure the ``count`` demo numbers of ``seed`` exist; returns how many were added."""
    for name, name_en, fee, minutes, rate, perks in PLANS:
        Plan.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "annual_fee": fee,
                "included_minutes": minutes,
                "per_minute_fen": rate,
                "perks": perks,
                "perks_en": PERKS_EN.get(perks, ""),
            },
        )
    plans = list(Plan.objects.order_by("annual_fee"))
    operators = dict(Prefix.objects.values_list("digits", "operator"))
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    chosen: dict[str, None] = {}
    for digits in _candidates(rng, sorted(operators)):
        if len(chosen) >= count:
            break
        chosen.setdefault(digits)
    existing = set(Number.objects.filter(number__in=list(chosen)).values_list("number", flat=True))
    now = timezone.now()
    new = []
    for index, digits in enumerate(chosen):
        # Drawn for every candidate, present or not, so each number's data is fixed by the seed.
        price = price_for(digits, rng)
        status_roll, hold_hours, views = rng.random(), rng.uniform(-24, 48), rng.paretovariate(1.3)
        featured_roll, age = rng.random(), rng.randrange(365 * 24 * 3600)
        if digits in existing:
            continue
        plan = next((p for p in reversed(plans) if p.annual_fee <= price), plans[0])
        held = status_roll < 0.05
        number = Number(
            number=digits,
            price=price,
            plan=plan,
            status=NumberStatus.HELD if held else NumberStatus.AVAILABLE,
            hold_expires_at=now + timedelta(hours=hold_hours) if held else None,
            view_count=min(int(views * 10) - 10, 20_000),
            featured=(price >= 12_000 and featured_roll < 0.25) or index % 97 == 0,
            created_at=now - timedelta(seconds=age),
        )
        number.derive(operators)
        new.append(number)
    Number.objects.bulk_create(new, batch_size=1000)
    content_changed()
    return len(new)
