from pathlib import Path

import tablib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from numbers.imports import UnreadableFile, decode_csv, import_numbers, row_errors


class Command(BaseCommand):
    help = "Import numbers from a CSV file (header number,price,plan); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 (BOM or not) or GB18030/GBK")

    def handle(self, *args, file: Path, **options):
        # Row messages in the site's default language (Chinese), as staff see them in the admin.
        with translation.override(settings.LANGUAGE_CODE):
            self.import_file(file)

    def import_file(self, file: Path):
        try:
            text = decode_csv(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnreadableFile as error:
            raise CommandError(f"{file}: {error}") from error
        try:
            dataset = tablib.Dataset().load(text, format="csv")
        except Exception as error:  # tablib raises several kinds for a broken file
            raise CommandError(f"{file} is not a readable CSV file: {error}") from error
        result = import_numbers(dataset)
        problems = row_errors(result)
        if problems:
            for row, message in problems:
                where = f"row {row}" if row else "file"
                self.stderr.write(f"{where}: {message}")
            raise CommandError(f"Nothing imported: {len(problems)} problem(s) in {file}.")
        for line, row in enumerate(result.rows, start=2):  # the header is line 1
            if getattr(row, "note", ""):
                self.stdout.write(f"row {line}: {row.note}")
        totals = result.totals
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {totals['new']} numbers, updated {totals['update']}, "
                f"left {totals['skip']} alone."
            )
        )
