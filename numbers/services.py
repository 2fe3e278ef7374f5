"""Writes of the numbers app with side effects, one function each."""

from datetime import date

from django.db import connection
from django.utils import timezone

from numbers.models import SearchTally

# ---- Catalogue (issue 3) ----


def search_tally_record(*, query: str, day: date | None = None) -> None:
    """Count one search of ``query`` today, in one atomic upsert (no read-modify-write)."""
    table = connection.ops.quote_name(SearchTally._meta.db_table)
    # Plain SQL: the ORM has no "increment on conflict"; both PostgreSQL and SQLite run this.
    sql = (
        f"INSERT INTO {table} (day, query, hits) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
        f"ON CONFLICT (day, query) DO UPDATE SET hits = {table}.hits + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day or timezone.localdate(), query[:200]])
