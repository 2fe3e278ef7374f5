"""Synthetic numbers for load and query-plan tests: ``manage.py seed_numbers --count N``.

Numbers are distinct, use the prefix table's operators, and are priced by their
rarest class. On PostgreSQL rows go in through COPY (a million in well under two
minutes); elsewhere through ``bulk_create``.
"""

import random
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.cache import content_changed
from numbers import patterns
from numbers.models import Number, NumberStatus, Plan, Prefix

# Yearly price in yuan by class, rarest first; a number is priced by its rarest class.
CLASS_PRICES = [
    ("a6", 388_000),
    ("a5", 128_000),
    ("ababab", 88_000),
    ("aabbcc", 66_000),
    ("abcabc", 52_000),
    ("a4", 38_000),
    ("run5", 36_000),
    ("aabb", 18_000),
    ("abab", 16_000),
    ("abba", 12_000),
    ("run4", 12_000),
    ("down4", 8_000),
    ("a3", 6_800),
    ("run3", 3_800),
]

BATCH = 50_000
# From this many rows on, building the indexes afresh beats updating them row by row
# (the digit pairs' GIN index above all: 21 entries a number).
REBUILD_FROM = 50_000
PATTERN_COLUMNS = [f"pattern_{slug}" for slug in patterns.PATTERN_SLUGS]
COLUMNS = [
    "number",
    "operator",
    "price",
    "plan_id",
    "status",
    "hold_expires_at",
    "view_count",
    "featured",
    "created_at",
    "reversed_digits",
    *PATTERN_COLUMNS,
]


class KeyDefaultDict(dict):
    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        self[key] = value = self.make(key)
        return value


def may_have_class(digits: str) -> bool:
    """A cheap necessary condition for any class, to skip plain numbers quickly.

    Each class shows in the last four digits: a3…a6 end in three alike; aabb and
    aabbcc in two pairs; abab and ababab repeat a pair; abba and abcabc repeat
    the fourth-last digit last; runs rise or fall by one over the last three.
    """
    a, b, c, d = digits[-4:]
    rise, fall = ord(c) - ord(b), ord(d) - ord(c)
    return (
        a == d
        or (b == c == d)
        or (a == b and c == d)
        or (a == c and b == d)
        or (rise == fall and rise in (1, -1))
    )


def vanity_tail(rng: random.Random) -> str:
    """Six digits ending in one of the classes, so that every class is well represented."""
    a, b, c = rng.sample("0123456789", 3)
    start = rng.randint(0, 5)
    shapes = [
        a * 6,
        rng.choice("0123456789") + a * 5,
        "".join(rng.choices("0123456789", k=2)) + a * 4,
        "".join(rng.choices("0123456789", k=3)) + a * 3,
        "".join(rng.choices("0123456789", k=2)) + a + a + b + b,
        "".join(rng.choices("0123456789", k=2)) + a + b + a + b,
        "".join(rng.choices("0123456789", k=2)) + a + b + b + a,
        a + a + b + b + c + c,
        (a + b + c) * 2,
        (a + b) * 3,
        "".join(rng.choices("0123456789", k=2)) + "".join(str(start + i) for i in range(4)),
        "".join(rng.choices("0123456789", k=1)) + "".join(str(start + i) for i in range(5)),
        "".join(rng.choices("0123456789", k=2)) + "".join(str(9 - start - i) for i in range(4)),
    ]
    return rng.choice(shapes)[-6:]


def copy_line(row) -> str:
    """One row in COPY's text format, built directly: far faster than adapting each value."""
    digits, operator, price, plan, status, hold, views, featured, created, reverse, *flags = row
    return (
        f"{digits}\t{operator}\t{price}\t{NULL if plan is None else plan}\t{status}\t"
        f"{NULL if hold is None else hold.isoformat()}\t{views}\t{'t' if featured else 'f'}\t"
        f"{created.isoformat()}\t{reverse}\t{FLAGS[tuple(flags)]}\n"
    )


NULL = "\\N"
# Every combination of class flags a number can have, as COPY text (few occur).
FLAGS = KeyDefaultDict(lambda flags: "\t".join("t" if flag else "f" for flag in flags))


class Command(BaseCommand):
    help = "Generate N distinct, realistic numbers (fast: COPY on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many numbers to add")
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable data"
        )

    def handle(self, *args, count: int, seed: int | None, **options):
        if count < 1:
            raise CommandError("--count must be 1 or more.")
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        operators = Prefix.ensure_defaults()
        prefixes = sorted(operators)
        if len(prefixes) * 10**6 < count + Number.objects.count():
            raise CommandError("Not enough free numbers under the known prefixes.")
        plans = list(Plan.objects.order_by("annual_fee").values_list("pk", "annual_fee"))
        taken = set(Number.objects.values_list("number", flat=True).iterator(chunk_size=20_000))
        started, now, done = time.monotonic(), timezone.now(), 0

        def rows():
            misses = 0
            while misses < 100:
                tail = vanity_tail(rng) if rng.random() < 0.08 else f"{rng.randrange(10**6):06d}"
                digits = rng.choice(prefixes) + tail
                if digits in taken:
                    misses += 1
                    continue
                misses = 0
                taken.add(digits)
                yield self.row(rng, digits, operators[digits[:4]], plans, now)
            # Nearly full (the whole 400 space): a random draw now mostly finds a number
            # already taken, and the last ones would each take millions. Deal out the rest.
            free = [
                digits
                for prefix in prefixes
                for digits in (f"{prefix}{tail:06d}" for tail in range(10**6))
                if digits not in taken
            ]
            rng.shuffle(free)
            for digits in free:
                taken.add(digits)
                yield self.row(rng, digits, operators[digits[:4]], plans, now)

        generator = rows()
        with transaction.atomic(), self.indexes_rebuilt_after(count >= REBUILD_FROM):
            while done < count:
                batch = [next(generator) for _ in range(min(BATCH, count - done))]
                self.write(batch)
                done += len(batch)
                elapsed = time.monotonic() - started
                self.stdout.write(
                    f"  {done:>10,} / {count:,} ({done * 100 // count:3d}%)  {elapsed:6.1f} s"
                )
                if done == count and count >= REBUILD_FROM:
                    self.stdout.write("  rebuilding the indexes …")
        self.stdout.write(
            self.style.SUCCESS(f"Added {count:,} numbers in {time.monotonic() - started:.1f} s.")
        )

    @contextmanager
    def indexes_rebuilt_after(self, rebuild: bool):
        """On PostgreSQL, drop the secondary indexes for a big load and build them after.

        Building an index once is far faster than updating twenty indexes row by
        row. Unique indexes stay, so duplicates are still refused. All of it runs
        in the caller's transaction: on any error the indexes come back untouched.
        The table is locked meanwhile, so this is for load-test databases, not a
        live site.
        """
        if not rebuild or connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary",
                [Number._meta.db_table],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        started = time.monotonic()
        with connection.cursor() as cursor:
            # The plan foreign key is checked at commit; CREATE INDEX wants it done first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
        self.stdout.write(f"  rebuilt {len(indexes)} indexes in {time.monotonic() - started:.1f} s")

    @staticmethod
    def row(rng, digits, operator, plans, now):
        classes = set(patterns.classify(digits)) if may_have_class(digits) else set()
        price = next((price for slug, price in CLASS_PRICES if slug in classes), None)
        if price is None:
            price = rng.randrange(6, 25) * 100 + (400 if "4" not in digits[3:] else 0)
        price = round(price * rng.uniform(0.85, 1.2), -2)
        plan = next(
            (pk for pk, fee in reversed(plans) if fee <= price), plans[0][0] if plans else None
        )
        status, hold = NumberStatus.AVAILABLE, None
        roll = rng.random()
        if roll < 0.02:
            status, hold = NumberStatus.HELD, now + timedelta(hours=rng.uniform(-72, 72))
        elif roll < 0.04:
            status = NumberStatus.ACTIVE
        return (
            digits,
            operator,
            int(price),
            plan,
            status,
            hold,
            min(int(rng.paretovariate(1.2)) - 1, 50_000),
            price >= 50_000 and rng.random() < 0.3,
            now - timedelta(seconds=rng.randrange(365 * 24 * 3600)),
            digits[::-1],
            *(slug in classes for slug in patterns.PATTERN_SLUGS),
        )

    @staticmethod
    def write(batch):
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Number._meta.db_table)
            sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                copy.write("".join(map(copy_line, batch)))
        else:
            Number.objects.bulk_create(
                [Number(**dict(zip(COLUMNS, row, strict=True))) for row in batch], batch_size=2000
            )
        content_changed()
