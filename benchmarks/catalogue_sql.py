"""The SQL each catalogue search really runs, timed warm on PostgreSQL (part of `make bench`).

    DATABASE_URL=postgres://…/reseller_bench .venv/bin/python benchmarks/catalogue_sql.py

Each search of ``catalogue_explain.CASES`` (plus the bench's two combinations, a deep
page and a keyset page far past the numbered ones) is requested through
Django's test client with the caches emptied, so whatever the view does — page,
count, anything else — is captured. Every SELECT on the numbers table is then run
under ``EXPLAIN ANALYZE`` ``--repeats`` times; the p95 of the summed execution
times is reported, and whether any plan scans the numbers table sequentially.
The number page's queries are counted the same way, and the 1,000 rotating searches
of the bench are each run once the same way (``--no-rotating`` skips them): the
share of a long-tail page's time that is its SQL.
"""

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # every request renders its page and runs its SQL

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.bench import rotating_searches  # noqa: E402
from benchmarks.catalogue_explain import CASES  # noqa: E402
from numbers.models import Number  # noqa: E402

BUDGET_MS = 3000
SQL_CASES = [
    *CASES,
    # the bench's realistic combinations
    ("88 at end, no 4, by price", "q=88&pos=end&exclude=4&sort=price"),
    ("a4|aabb, unicom, <=50000", "pattern=a4&pattern=aabb&operator=unicom&price_max=50000"),
    # a class in another order than its index's (the rotating searches make them)
    ("class a4 by price", "pattern=a4&sort=price"),
    ("class a3 by -price", "pattern=a3&sort=-price"),
    ("class aabb most viewed", "pattern=aabb&sort=popular"),
    ("class a3 newest", "pattern=a3&sort=newest"),
    ("deep page 400", "page=400"),
    ("keyset page 1000", "page=1000&after={after}"),
]


def keyset_cursor(rows: int) -> str:
    """The number that ends page 999 of the recommended order: page 1000 follows it."""
    offset = max(1, min(999 * 24, rows - 25))
    return Number.objects.listed().sorted_by("").values_list("number", flat=True)[offset - 1]


def captured(client: Client, path: str) -> list[str]:
    # Rendered pages and fragments must not hide the queries; hot searches and offices
    # stay cached in "default", as they are for every visitor but the first.
    for alias in caches:
        if alias != "default":
            caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code >= 500:
        raise SystemExit(f"{path} answered {response.status_code}")
    return [query["sql"] for query in queries.captured_queries]


def explain_ms(sql: str) -> tuple[float, bool]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    seconds = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
    # (a node that never ran scanned nothing: the second part of a count read only
    # when the first is under the cap, say)
    scanned = any(
        "Seq Scan on numbers_number" in line and "(never executed)" not in line
        for line in plan.splitlines()
    )
    return seconds, scanned


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def rotating_report(client: Client) -> dict:
    """Each rotating search's SQL, warm, once: its execution time and any sequential scan."""
    timed, scans = [], 0  # (ms, path)
    for path in rotating_searches():
        captured(client, path)
        total, scanned = 0.0, False
        for sql in captured(client, path):
            if sql.startswith(("SELECT", "WITH")) and "numbers_number" in sql:
                ms, seq = explain_ms(sql)
                total, scanned = total + ms, scanned or seq
        timed.append((total, path))
        scans += scanned
    timed.sort(reverse=True)
    totals = [ms for ms, _path in timed]
    report = {
        "searches": len(totals),
        "p50_ms": statistics.median(totals),
        "p95_ms": p95(totals),
        "max_ms": totals[0],
        "seq_scans": scans,
        "slowest": [{"path": path, "ms": ms} for ms, path in timed[:5]],
    }
    print(
        f"{len(totals):,} rotating searches  p50 {report['p50_ms']:.2f} ms  "
        f"p95 {report['p95_ms']:.2f} ms  max {report['max_ms']:.2f} ms  {scans} sequential scans",
        file=sys.stderr,
        flush=True,
    )
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-rotating", action="store_true", help="skip the 1,000 searches")
    parser.add_argument("--rotating-only", action="store_true", help="only the 1,000 searches")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The SQL timings need PostgreSQL: set DATABASE_URL.")
    client = Client(SERVER_NAME="127.0.0.1")
    if args.rotating_only:
        print(json.dumps(rotating_report(client), indent=1))
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM numbers_number")
        rows = cursor.fetchone()[0]
    report = {"rows": rows, "repeats": args.repeats, "cases": []}
    most = 0
    after = keyset_cursor(rows)
    for label, query in SQL_CASES:
        path = f"/numbers/?{query.format(after=after)}"
        captured(client, path)  # warm the buffers and the per-process caches' misses alike
        statements = captured(client, path)
        reads = [
            sql
            for sql in statements
            if sql.startswith(("SELECT", "WITH")) and "numbers_number" in sql
        ]
        most = max(most, len(reads))
        totals, seq = [], False
        for _ in range(args.repeats):
            if len(totals) >= 3 and sum(totals) > BUDGET_MS:
                break  # a slow search has shown how slow it is
            total = 0.0
            for sql in reads:
                ms, scanned = explain_ms(sql)
                total, seq = total + ms, seq or scanned
            totals.append(total)
        case = {
            "label": label,
            "query": query,
            "queries": len(reads),
            "writes": len([sql for sql in statements if not sql.startswith(("SELECT", "WITH"))]),
            "p95_ms": p95(totals),
            "runs": len(totals),
            "seq_scan": seq,
        }
        report["cases"].append(case)
        print(
            f"{label:<24} {case['queries']} queries  p95 {case['p95_ms']:8.2f} ms"
            f"{'  SEQ SCAN' if seq else ''}",
            file=sys.stderr,
            flush=True,
        )
    report["catalogue_queries"] = most
    number = Number.objects.listed().order_by("number")[rows // 2 :].first()
    captured(client, number.get_absolute_url())
    statements = captured(client, number.get_absolute_url())
    report["number_page_queries"] = len([sql for sql in statements if "offices_" not in sql])
    if not args.no_rotating:
        report["rotating"] = rotating_report(client)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    else:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
