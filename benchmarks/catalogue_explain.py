"""EXPLAIN ANALYZE of the catalogue's queries, one per single filter (PostgreSQL only).

Run against a database seeded with ``manage.py seed_numbers --count 1000000``:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>
    .venv/bin/python manage.py seed_numbers --count 1000000 --seed 400
    .venv/bin/python benchmarks/catalogue_explain.py > benchmarks/results/catalogue_explain.txt

For each search it explains the two queries the catalogue page runs: the page of
rows (LIMIT 24) and the capped count (at most 10,001 rows counted), and prints
the indexes each plan uses and its execution time. Not part of the test suite.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import reseller  # noqa: F401 - first: makes the ``numbers`` app importable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from numbers.forms import CatalogueForm  # noqa: E402
from numbers.models import Number  # noqa: E402
from numbers.pagination import COUNT_CAP  # noqa: E402
from numbers.patterns import PATTERN_SLUGS  # noqa: E402
from numbers.views import CatalogueView  # noqa: E402

PER_PAGE = CatalogueView.paginate_by

CASES = [
    ("no filter", ""),
    *((f"class {slug}", f"pattern={slug}") for slug in PATTERN_SLUGS),
    ("two classes", "pattern=a4&pattern=aabb"),
    *((f"operator {op}", f"operator={op}") for op in ("unicom", "mobile", "telecom")),
    *((f"q 888 at {pos}", f"q=888&pos={pos}") for pos in ("any", "start", "end")),
    *((f"q 6328 at {pos}", f"q=6328&pos={pos}") for pos in ("any", "start", "end")),
    *((f"q 8*88 at {pos}", f"q=8*88&pos={pos}") for pos in ("any", "start", "end")),
    *((f"q 6*8*8 at {pos}", f"q=6*8*8&pos={pos}") for pos in ("any", "start", "end")),
    ("exclude 4", "exclude=4"),
    ("price 10000-20000", "price_min=10000&price_max=20000"),
    ("sort price", "sort=price"),
    ("sort -price", "sort=-price"),
    ("sort popular", "sort=popular"),
    ("sort newest", "sort=newest"),
    ("combined", "q=88&pos=end&pattern=a4&operator=unicom&exclude=4&price_max=100000"),
]


def queryset(query: str):
    form = CatalogueForm(QueryDict(query))
    if not form.is_valid():
        raise SystemExit(f"invalid case {query!r}: {form.errors.as_json()}")
    return (
        Number.objects.listed()
        .matching(**form.filters())
        .sorted_by(form.cleaned_data.get("sort", ""))
        .select_related("plan")
    )


def explain(sql: str, params) -> tuple[str, list[str], float]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    indexes = sorted(
        set(re.findall(r"(?:Index Scan|Index Only Scan)(?: Backward)? using (\w+)", plan))
    )
    indexes += sorted(set(re.findall(r"Bitmap Index Scan on (\w+)", plan)) - set(indexes))
    seq = "Seq Scan on numbers_number" in plan
    time = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
    return plan, indexes + (["SEQ SCAN"] if seq else []), time


def main():
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN ANALYZE needs PostgreSQL: set DATABASE_URL.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE numbers_number")
        cursor.execute("SELECT count(*) FROM numbers_number")
        total = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"numbers_number rows: {total:,}; PostgreSQL {version}; "
        f"page size {PER_PAGE}; count cap {COUNT_CAP:,}"
    )
    print()
    header = (
        f"{'case':<22} {'rows: index used':<48} {'ms':>8}   {'count: index used':<48} {'ms':>8}"
    )
    print(header)
    print("-" * len(header))
    details = []
    for label, query in CASES:
        qs = queryset(query)
        rows_sql, rows_params = qs[:PER_PAGE].query.sql_with_params()
        rows_plan, rows_idx, rows_ms = explain(rows_sql, rows_params)
        count_sql, count_params = (
            qs.order_by()[: COUNT_CAP + 1].values("pk").query.sql_with_params()
        )
        count_plan, count_idx, count_ms = explain(
            f"SELECT count(*) FROM ({count_sql}) AS capped",  # noqa: S608 - the ORM's own SQL
            count_params,
        )
        print(
            f"{label:<22} {', '.join(rows_idx):<48} {rows_ms:>8.2f}   "
            f"{', '.join(count_idx):<48} {count_ms:>8.2f}"
        )
        details.append((label, query, rows_plan, count_plan))
    deep = queryset("")
    last_offset = COUNT_CAP - PER_PAGE
    sql, params = deep[last_offset : last_offset + PER_PAGE].query.sql_with_params()
    deep_plan, deep_idx, deep_ms = explain(sql, params)
    print(f"{'deepest page (417)':<22} {', '.join(deep_idx):<48} {deep_ms:>8.2f}")
    details.append(("deepest page", f"page={COUNT_CAP // PER_PAGE}", deep_plan, ""))
    print()
    print("=" * 80)
    print("Full plans")
    for label, query, rows_plan, count_plan in details:
        print()
        print(f"### {label}  ?{query}")
        print("-- rows")
        print(rows_plan)
        if count_plan:
            print("-- capped count")
            print(count_plan)


if __name__ == "__main__":
    main()
