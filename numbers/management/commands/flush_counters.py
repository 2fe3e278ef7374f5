from django.core.management.base import BaseCommand

from numbers.services import counters_flush


class Command(BaseCommand):
    help = (
        "Write the buffered number-page views and catalogue searches to the database. "
        "The pages queue this as a job once a minute; safe to run at any time, also twice at once."
    )

    def handle(self, *args, **options):
        result = counters_flush()
        self.stdout.write(f"Counted {result.views} view(s) and {result.searches} search(es).")
