"""Anonymous public pages read no session and no user: no cookie, no row, no query."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, NumberFactory, OfficeFactory

pytestmark = pytest.mark.django_db

ACCOUNT_TABLES = re.compile(r'"?(django_session|auth_\w+|axes_\w+)"?')


@pytest.fixture
def site():
    NumberFactory(number="4006328888")
    ArticleFactory(slug="opening")
    OfficeFactory(slug="guangzhou")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/numbers/",
        "/numbers/?q=8888&pos=end",
        "/numbers/4006328888/",
        "/news/",
        "/news/opening/",
        "/offices/",
        "/offices/guangzhou/",
        "/contact/",
        "/shortlist/",
        "/en/numbers/",
    ],
)
def test_an_anonymous_page_touches_no_session_or_user_table(client, site, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 200
    touched = [q["sql"] for q in queries.captured_queries if ACCOUNT_TABLES.search(q["sql"])]
    assert touched == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("path", ["/numbers/", "/numbers/4006328888/"])
def test_a_catalogue_page_queries_only_the_numbers_tables(client, site, path):
    client.get(path)  # the footer's offices and the hot searches are cached from here on

    with CaptureQueriesContext(connection) as queries:
        client.get(path)

    tables = {
        table
        for query in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', query["sql"])
    }
    assert tables and all(table.startswith("numbers_") for table in tables), tables


def test_a_visitor_with_a_stale_session_cookie_still_costs_no_user_query(client, site):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # a session long gone

    with CaptureQueriesContext(connection) as queries:
        client.get("/numbers/")

    assert [q["sql"] for q in queries.captured_queries if "auth_user" in q["sql"]] == []
