from pathlib import Path

import tablib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from numbers.imports import import_numbers, row_errors


class Command(BaseCommand):
    help = "Import numbers from a CSV file (header number,price,plan); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 (Excel's BOM is fine)")

    def handle(self, *args, file: Path, **options):
        # Row messages in the site's default language (Chinese), as staff see them in the admin.
        with translation.override(settings.LANGUAGE_CODE):
            self.import_file(file)

    def import_file(self, file: Path):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
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
        self.stdout.write(self.style.SUCCESS(f"Imported {result.totals['new']} numbers."))
