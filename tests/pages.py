"""Pages a visitor can reach, with demo content behind them: checked for HTML and accessibility."""

from io import StringIO

from django.core.management import call_command

# Paths in Chinese; each is checked under /en/ too.
PUBLIC_PATHS = [
    "/",
    "/numbers/",
    "/numbers/4006328888/",
    "/offices/",
    "/offices/guangzhou/",
    "/news/",
    "/news/category/notices/",
    "/news/real-name-verification-2016/",
    "/contact/",
    "/accounts/login/",
    "/no-such-page/",
]


def load_demo_content():
    call_command("seed_demo", verbosity=0, stdout=StringIO())


def every_language(paths):
    return [*paths, *(f"/en{path}" for path in paths)]
