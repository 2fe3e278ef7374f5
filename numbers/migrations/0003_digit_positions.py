from django.db import migrations

# Each number as ten "position digit" tokens ('0' || first digit, … '9' || last);
# numbers.models.DIGIT_POSITIONS_SQL queries exactly this expression.
EXPRESSION = "ARRAY[" + ", ".join(f"'{i}' || substr(number, {i + 1}, 1)" for i in range(10)) + "]"


def create(apps, schema_editor):
    """Wildcard searches (8*88) use a GIN index of digit positions; PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS number_digit_positions ON numbers_number "
            f"USING gin (({EXPRESSION}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS number_digit_positions")


class Migration(migrations.Migration):

    dependencies = [
        ("numbers", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(create, drop)]
