from django.core.management.base import BaseCommand

from numbers.services import holds_release_expired


class Command(BaseCommand):
    help = (
        "Free held numbers whose hold ran out and expire their unconfirmed orders. "
        "Such numbers are orderable anyway; this tidies the data (run it hourly)."
    )

    def handle(self, *args, **options):
        freed = holds_release_expired()
        self.stdout.write(f"Released {freed} expired hold(s).")
