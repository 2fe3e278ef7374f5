from django.core.management.base import BaseCommand, CommandError

from compliance.services import agent_create
from offices.models import Office


class Command(BaseCommand):
    help = "Make USERNAME an agent of COMPANY (creates the login with a random password)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--company", required=True, help="the agent's company name")
        parser.add_argument("--office", help="slug of the office the agent works with")
        parser.add_argument("--email", default="", help="where review decisions are sent")

    def handle(self, *args, username, company, office, email, **options):
        office_obj = None
        if office:
            office_obj = Office.objects.filter(slug=office).first()
            if office_obj is None:
                raise CommandError(f"No office with the slug {office!r}.")
        _user, password = agent_create(
            username=username, company=company.strip(), office=office_obj, email=email
        )
        if password:
            self.stdout.write(f"Agent {username!r} created for {company}; password: {password}")
        else:
            self.stdout.write(f"{username!r} is now an agent of {company} (password unchanged)")
