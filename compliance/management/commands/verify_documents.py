from django.core.management.base import BaseCommand, CommandError

from compliance import storage
from compliance.models import Document


class Command(BaseCommand):
    help = "Recompute every stored document's SHA-256; fail naming each missing or changed file."

    def handle(self, *args, **options):
        problems = checked = 0
        for document in Document.objects.order_by("pk").iterator():
            files = [(document.stored_name, document.sha256)]
            if document.display_name:
                files.append((document.display_name, document.display_sha256))
            for name, expected in files:
                checked += 1
                try:
                    actual = storage.sha256_of(name)
                except FileNotFoundError:
                    problems += 1
                    self.stderr.write(f"MISSING {name} (document {document.pk})")
                    continue
                if actual != expected:
                    problems += 1
                    self.stderr.write(
                        f"CHANGED {name} (document {document.pk}): "
                        f"expected {expected}, found {actual}"
                    )
        if problems:
            raise CommandError(f"{problems} of {checked} stored file(s) missing or changed.")
        self.stdout.write(f"All {checked} stored file(s) match their SHA-256.")
