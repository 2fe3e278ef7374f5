"""Paging through every result: numbered pages up to the offset cap, keyset pages beyond."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from numbers.models import Number, Sort
from numbers.pagination import CappedPaginator
from numbers.views import CatalogueView
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

URL = reverse("numbers:catalogue")


@pytest.fixture
def small_pages(monkeypatch):
    """Five to a page, a count cap of 8 and numbered pages as far as 15 results (page 3)."""
    monkeypatch.setattr(CatalogueView, "paginate_by", 5)
    monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "cap", 8)
    monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "offset_cap", 15)


@pytest.fixture
def stock():
    now = timezone.now()
    for i in range(37):
        NumberFactory(
            number=f"4006{(i * 7919) % 10**6:06d}",
            price=(i % 6) * 1000 + 800,
            view_count=i % 4,
            featured=i % 9 == 0,
            created_at=now - timedelta(hours=i % 5),
        )


def walk(client, query: dict) -> tuple[list[str], list[str]]:
    """Follow "Next" from the first page to the last: the numbers shown, the links followed."""
    shown, links = [], []
    response = client.get(URL, query)
    while True:
        assert response.status_code == 200, response.context["form"].errors
        shown += [number.number for number in response.context["numbers"]]
        found = re.search(r'rel="next" href="\?([^"#]*)', response.content.decode())
        if not found:
            return shown, links
        links.append(html.unescape(found.group(1)))
        response = client.get(f"{URL}?{links[-1]}")


@pytest.mark.parametrize("sort", Sort.values)
def test_next_links_reach_every_result_once_in_order(client, small_pages, stock, sort):
    shown, links = walk(client, {"sort": sort} if sort else {})

    expected = list(Number.objects.listed().sorted_by(sort).values_list("number", flat=True))
    assert shown == expected
    # Pages 2 and 3 by number; from page 4 on, the last number shown leads the way.
    assert [("after=" in link) for link in links] == [False, False] + [True] * (len(links) - 2)


@pytest.mark.parametrize("capped", [False, True], ids=["counted to the last", "capped"])
@pytest.mark.parametrize("sort", Sort.values)
def test_a_digit_search_pages_the_same_whether_counted_to_its_last_match_or_capped(
    client, monkeypatch, stock, sort, capped
):
    # Counted to its last match, a search keeps the keys in the page's order and reads
    # each page by key; capped, it looks each page up. A visitor sees the same pages.
    monkeypatch.setattr(CatalogueView, "paginate_by", 5)
    if capped:
        monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "cap", 8)
    query = {"q": "6", "pos": "start", "price_min": 1500, **({"sort": sort} if sort else {})}

    shown, _links = walk(client, query)

    expected = Number.objects.listed().filter(price__gte=1500).sorted_by(sort)
    assert shown == list(expected.values_list("number", flat=True))
    assert len(shown) > 10


@pytest.mark.parametrize(("cap", "count"), [(3, 3), (8, 8), (1000, 9)])
def test_digits_that_can_start_inside_400_are_counted_in_both_places(
    client, monkeypatch, cap, count
):
    # "061 anywhere" is every number that starts 40061, and the others with 061 in their
    # own digits: counted from the first alone when they pass the cap, else from both.
    monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "cap", cap)
    inside = [f"40061000{i:02d}" for i in range(5)]
    elsewhere = ["4006206100", "4006320610", "4006506199", "4006700061"]
    for digits in [*inside, *elsewhere, "4006222222", "4006333333"]:
        NumberFactory(number=digits)

    response = client.get(URL, {"q": "061", "pos": "any"})

    assert response.context["paginator"].count == count
    assert response.context["paginator"].is_capped == (cap < 9)
    if cap == 1000:
        expected = Number.objects.listed().filter(number__in=inside + elsewhere).sorted_by("")
        shown = [number.number for number in response.context["numbers"]]
        assert shown == list(expected.values_list("number", flat=True))


def test_a_filtered_search_keeps_its_filters_on_keyset_pages(client, small_pages, stock):
    shown, links = walk(client, {"operator": "unicom", "price_min": 1500, "sort": "-price"})

    expected = Number.objects.listed().filter(price__gte=1500).sorted_by("-price")
    assert shown == list(expected.values_list("number", flat=True))
    assert all("price_min=1500" in link and "operator=unicom" in link for link in links)


def test_a_keyset_page_costs_two_queries_and_says_more_than_the_cap(client, small_pages, stock):
    client.get(URL)  # fills the caches of hot searches and offices
    last = Number.objects.listed().sorted_by("")[14]

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/numbers/", {"page": 4, "after": last.number})

    assert len(queries) == 2, [query["sql"] for query in queries.captured_queries]
    assert response.context["page_obj"].number == 4
    assert "More than 8 numbers match" in response.content.decode()
    assert response.context["robots"] == "noindex, follow"


def test_a_deep_numbered_page_costs_two_queries(client, small_pages, stock):
    client.get(URL)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page": 3})

    assert len(queries) == 2
    assert len(response.context["numbers"]) == 5


@pytest.mark.parametrize("after", ["4006999999", "12345", "4006-abc"])
def test_a_mangled_or_unknown_cursor_falls_back_to_numbered_pages(
    client, small_pages, stock, after
):
    response = client.get("/en/numbers/", {"page": 6, "after": after})

    assert response.status_code == 400
    assert response.context["page_obj"].number == 3
    assert response.context["form"].errors["page"] == [
        "Pages past 3 are reached through the “Next” links; narrow the search to see fewer pages."
    ]


def test_a_cursor_below_the_numbered_pages_is_ignored(client, small_pages, stock):
    last = Number.objects.listed().sorted_by("")[14]

    response = client.get(URL, {"page": 2, "after": last.number})

    expected = Number.objects.listed().sorted_by("")[5:10]
    assert [number.number for number in response.context["numbers"]] == [
        number.number for number in expected
    ]
