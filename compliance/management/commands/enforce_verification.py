from django.core.management.base import BaseCommand

from compliance.services import campaign_remind_agents, verification_enforce


class Command(BaseCommand):
    help = (
        "Suspend the numbers of subscribers not verified by a campaign deadline, or whose "
        "required document has expired, and numbers in service that no subscriber holds once "
        "a deadline has passed; remind agents a week before a deadline. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be done, change nothing"
        )

    def handle(self, *args, dry_run, **options):
        actions = verification_enforce(dry_run=dry_run)
        prefix = "would " if dry_run else ""
        for action in actions:
            self.stdout.write(f"{prefix}{action}")
        verb = "would be suspended" if dry_run else "suspended"
        self.stdout.write(f"{len(actions)} number(s) {verb}.")
        if not dry_run:
            reminded = campaign_remind_agents()
            self.stdout.write(f"{reminded} agent(s) reminded of a nearing deadline.")
