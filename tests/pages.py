"""Pages a visitor can reach, with demo content behind them: checked for HTML and accessibility."""

from io import StringIO

from django.core.management import call_command

# Paths in Chinese; each is checked under /en/ too.
PUBLIC_PATHS = [
    "/",
    "/numbers/",
    "/numbers/?q=8*88&pos=end&pattern=a3&pattern=aabb&operator=unicom&exclude=4&sort=-price",
    "/numbers/?q=abc&price_min=9&price_max=1",
    "/numbers/4006328888/",
    "/numbers/4006518888/order/",
    "/numbers/4006328888/quote/?company=示例贸易有限公司",
    "/shortlist/",
    "/orders/",
    "/callback/",
    "/callback/thanks/",
    "/offices/",
    "/offices/guangzhou/",
    "/news/",
    "/news/category/notices/",
    "/news/real-name-verification-2016/",
    "/contact/",
    "/accounts/login/",
    "/no-such-page/",
]


# The agent portal, seen by the demo agent.
AGENT_PATHS = ["/agent/", "/agent/subscribers/new/"]


def load_demo_content():
    call_command("seed_demo", verbosity=0, stdout=StringIO())


def every_language(paths):
    return [*paths, *(f"/en{path}" for path in paths)]
