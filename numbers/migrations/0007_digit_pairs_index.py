"""Searches with ``*`` answered by an index of digit pairs (PostgreSQL only).

A number's 21 digit pairs (positions 3-9, two at a time) are computed by the
immutable SQL function ``number_digit_pairs()`` and kept in a GIN index; a
search fixes some digits at some place and asks for the pairs that chain them,
so ``8*88`` at the end is three list look-ups instead of a regex over every
row. The trigram index of 0002 stays for plain digits anywhere (it answers
``LIKE '%6328%'`` well) but could not use the short literal runs of a search
with ``*``. SQLite keeps the regex (see ``NumberQuerySet.matching``).
Measured at 1,000,000 numbers: benchmarks/results/catalogue-sql-after.txt.
"""

from django.db import migrations

PAIRS = ", ".join(
    f"{(i * 10 + j) * 100 - 11 * 48} + 10 * ascii(substr(d, {i + 1}, 1)) + ascii(substr(d, {j + 1}, 1))"
    for i in range(3, 9)
    for j in range(i + 1, 10)
)

STATISTICS = 500

# Not STRICT: so that PostgreSQL inlines the function (an ARRAY[] is not strict),
# which makes building the index and any recheck several times faster.
CREATE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION number_digit_pairs(d varchar) RETURNS int[] "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    f"AS $$ SELECT ARRAY[{PAIRS}] $$"
)


def create_pairs_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS number_digit_pairs_gin ON numbers_number "
        "USING gin (number_digit_pairs(number))"
    )
    # A finer histogram of the digits, so that the planner's estimate of a LIKE such
    # as '%8_88%' (about 0.5 %) is near the truth and a page walks the order's index.
    for column in ("number", "reversed_digits"):
        schema_editor.execute(
            f"ALTER TABLE numbers_number ALTER COLUMN {column} SET STATISTICS {STATISTICS}"
        )


def drop_pairs_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS number_digit_pairs_gin")
    schema_editor.execute("DROP FUNCTION IF EXISTS number_digit_pairs(varchar)")
    for column in ("number", "reversed_digits"):
        schema_editor.execute(f"ALTER TABLE numbers_number ALTER COLUMN {column} SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("numbers", "0006_search_visitor")]

    operations = [migrations.RunPython(create_pairs_index, drop_pairs_index)]
