from django.db import migrations


def create_trigram_index(apps, schema_editor):
    """Searches "anywhere" use a trigram index; PostgreSQL only (pg_trgm ships with it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS number_digits_trgm ON numbers_number "
        "USING gin (number gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS number_digits_trgm")


class Migration(migrations.Migration):
    dependencies = [("numbers", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
