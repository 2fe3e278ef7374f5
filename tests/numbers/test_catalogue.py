"""The catalogue page: every parameter of the URL contract, alone and combined, and bad input."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from numbers.models import Number, NumberStatus, Operator, Pattern, SearchTally
from numbers.pagination import CappedPaginator
from numbers.patterns import PATTERN_SLUGS, classify
from numbers.services import counters_flush
from numbers.views import CatalogueView
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

URL = reverse("numbers:catalogue")

# One number per class (its tail), plus plain ones; operator from the 4th digit.
EXAMPLES = {
    "a3": "4006120888",
    "a4": "4006328888",
    "a5": "4001288888",
    "a6": "4008888888",
    "aabb": "4007126688",
    "abab": "4009126868",
    "abba": "4000126886",
    "aabbcc": "4006668899",
    "abcabc": "4001518518",
    "ababab": "4008686868",
    "run3": "4007120789",
    "run4": "4009015678",
    "run5": "4000156789",
    "down4": "4006019876",
}


def listed(response) -> list[str]:
    return [number.number for number in response.context["numbers"]]


@pytest.fixture
def catalogue():
    numbers = {}
    for price, (slug, digits) in enumerate(EXAMPLES.items(), start=1):
        numbers[slug] = NumberFactory(number=digits, price=price * 1000)
    numbers["plain"] = NumberFactory(number="4006135702", price=500)
    return numbers


def test_page_lists_available_and_held_numbers_but_not_active_suspended_or_retired(client):
    shown = [
        NumberFactory(number="4006000001"),
        NumberFactory(
            number="4006000002",
            status=NumberStatus.HELD,
            hold_expires_at=timezone.now() + timedelta(hours=3),
        ),
    ]
    for status in (NumberStatus.ACTIVE, NumberStatus.SUSPENDED, NumberStatus.RETIRED):
        NumberFactory(number=f"40060001{len(status):02d}", status=status)

    response = client.get(URL)

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(n.number for n in shown)


@pytest.mark.parametrize("slug", PATTERN_SLUGS)
def test_each_class_finds_exactly_the_numbers_that_have_it(client, catalogue, slug):
    response = client.get(URL, {"pattern": slug})

    expected = {n.number for n in catalogue.values() if slug in classify(n.number)}
    assert response.status_code == 200
    assert set(listed(response)) == expected
    assert EXAMPLES[slug] in expected


def test_several_classes_find_numbers_with_any_of_them(client, catalogue):
    response = client.get(URL, {"pattern": ["aabb", "run5"]})

    assert set(listed(response)) == {EXAMPLES["aabb"], EXAMPLES["aabbcc"], EXAMPLES["run5"]}


@pytest.mark.parametrize(
    ("operators", "prefixes"),
    [
        (["unicom"], {"4000", "4006"}),
        (["mobile"], {"4001", "4007"}),
        (["telecom"], {"4008", "4009"}),
        (["mobile", "telecom"], {"4001", "4007", "4008", "4009"}),
    ],
)
def test_operator_filter_keeps_numbers_of_the_chosen_operators(
    client, catalogue, operators, prefixes
):
    response = client.get(URL, {"operator": operators})

    found = listed(response)
    assert found
    assert {digits[:4] for digits in found} <= prefixes
    assert len(found) == sum(1 for n in catalogue.values() if n.number[:4] in prefixes)


@pytest.mark.parametrize(
    ("q", "pos", "expected"),
    [
        ("8888", "end", {"4006328888", "4001288888", "4008888888"}),
        ("8888", "any", {"4006328888", "4001288888", "4008888888"}),
        ("632", "start", {"4006328888"}),
        ("632", "end", set()),
        ("0888", "end", {"4006120888"}),
        ("6*68", "end", {"4009126868", "4008686868"}),
        ("2*8*8", "any", {"4006328888", "4009126868", "4006120888", "4001288888"}),
        ("*5", "start", {"4001518518"}),
        ("4001", "start", set()),
        ("4001", "any", {"4001288888", "4001518518"}),
        ("400", "any", set(EXAMPLES.values()) | {"4006135702"}),
    ],
)
def test_digits_are_found_where_asked(client, catalogue, q, pos, expected):
    response = client.get(URL, {"q": q, "pos": pos})

    assert response.status_code == 200
    assert set(listed(response)) == expected


def test_position_defaults_to_anywhere(client, catalogue):
    assert set(listed(client.get(URL, {"q": "1518"}))) == {"4001518518"}


def test_full_width_digits_and_hyphens_in_the_search_are_understood(client, catalogue):
    response = client.get(URL, {"q": "６３２-８８", "pos": "any"})

    assert listed(response) == ["4006328888"]


def test_exclude_looks_only_after_the_400_prefix(client):
    NumberFactory(number="4006328888")
    NumberFactory(number="4006328848")
    NumberFactory(number="4006378888")

    assert set(listed(client.get(URL, {"exclude": "4"}))) == {"4006328888", "4006378888"}
    assert listed(client.get(URL, {"exclude": "47"})) == ["4006328888"]


def test_price_range_is_inclusive(client, catalogue):
    response = client.get(URL, {"price_min": 2000, "price_max": 4000})

    assert set(listed(response)) == {EXAMPLES["a4"], EXAMPLES["a5"], EXAMPLES["a6"]}
    assert set(listed(client.get(URL, {"price_min": 14000}))) == {EXAMPLES["down4"]}
    assert set(listed(client.get(URL, {"price_max": 500}))) == {"4006135702"}


def test_filters_combine(client, catalogue):
    NumberFactory(number="4007328888", price=9000)
    query = {
        "q": "88",
        "pos": "end",
        "pattern": "a4",
        "operator": "unicom",
        "exclude": "1",
        "price_max": 5000,
    }

    assert listed(client.get(URL, query)) == ["4006328888"]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("price", lambda n: (n.price, n.number)),
        ("-price", lambda n: (-n.price, [-int(c) for c in n.number])),
        ("number", lambda n: n.number),
        ("popular", lambda n: (-n.view_count, [-int(c) for c in n.number])),
        ("newest", lambda n: (-n.created_at.timestamp(), -n.pk)),
    ],
)
def test_sort_orders_results(client, sort, key):
    now = timezone.now()
    for i, digits in enumerate(["4006000003", "4006000001", "4006000002", "4006000004"]):
        NumberFactory(
            number=digits,
            price=[300, 100, 300, 200][i],
            view_count=[5, 9, 5, 0][i],
            created_at=now - timedelta(days=[2, 1, 3, 0][i]),
        )

    response = client.get(URL, {"sort": sort})

    assert listed(response) == [n.number for n in sorted(Number.objects.all(), key=key)]


def test_default_order_puts_featured_numbers_first(client):
    NumberFactory(number="4006000001")
    NumberFactory(number="4006000009", featured=True)

    assert listed(client.get(URL)) == ["4006000009", "4006000001"]


def test_result_count_and_pages(client):
    for i in range(30):
        NumberFactory(number=f"40060000{i:02d}")

    first = client.get(URL, {"operator": "unicom"})
    second = client.get(URL, {"operator": "unicom", "page": 2})

    assert "30 numbers match" in first.content.decode() or "30 个号码" in first.content.decode()
    assert len(listed(first)) == CatalogueView.paginate_by
    assert len(listed(second)) == 30 - CatalogueView.paginate_by
    assert 'href="?operator=unicom&amp;page=2#results"' in first.content.decode()


def test_count_is_capped_so_that_broad_searches_stay_fast():
    for i in range(12):
        NumberFactory(number=f"40060000{i:02d}")

    paginator = CappedPaginator(Number.objects.all(), 5, cap=10, offset_cap=100)

    assert paginator.is_capped
    assert paginator.count == 10
    # Past the cap, pages go by number as far as the offset cap (then by keyset).
    assert paginator.num_pages == 20


def test_page_past_the_numbered_pages_points_to_the_next_links(client, monkeypatch):
    # The view builds its paginator with the default caps: lower them to 10.
    monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "cap", 10)
    monkeypatch.setitem(CappedPaginator.__init__.__kwdefaults__, "offset_cap", 10)
    for i in range(12):
        NumberFactory(number=f"40060000{i:02d}")

    response = client.get("/en/numbers/", {"page": 9})

    assert response.status_code == 400
    assert response.context["form"].errors["page"] == [
        "Pages past 1 are reached through the “Next” links; narrow the search to see fewer pages."
    ]
    assert response.context["page_obj"].number == 1


def test_matched_digits_are_highlighted(client, catalogue):
    body = client.get(URL, {"q": "28888", "pos": "end"}).content.decode()

    assert "400-63<mark>2-8888</mark>" in body
    assert "400-632-<mark>8888</mark>" not in body


def test_class_tail_is_highlighted_when_searching_by_class(client, catalogue):
    body = client.get(URL, {"pattern": "a4"}).content.decode()

    assert "400-632-<mark>8888</mark>" in body


def test_card_shows_formatted_number_price_badges_operator_views_and_perks(client):
    NumberFactory(number="4006328888", price=25000, view_count=150)

    body = client.get("/en/numbers/").content.decode()

    assert "400-632-8888" in body
    assert "¥25,000/year" in body
    assert "Four of a kind" in body and "Triple ending" in body
    assert "China Unicom" in body
    assert "150 views" in body
    assert "送彩铃" in body


def test_held_number_shows_reserved_with_time_left_and_expired_hold_shows_as_available(client):
    NumberFactory(
        number="4006000001",
        status=NumberStatus.HELD,
        hold_expires_at=timezone.now() + timedelta(hours=5, minutes=1),
    )
    NumberFactory(
        number="4006000002",
        status=NumberStatus.HELD,
        hold_expires_at=timezone.now() - timedelta(minutes=1),
    )

    body = client.get("/en/numbers/").content.decode()

    cards = re.findall(r'<article class="number-card[^"]*"[^>]*>.*?</article>', body, re.S)
    held = next(card for card in cards if "400-600-0001" in card)
    expired = next(card for card in cards if "400-600-0002" in card)
    assert "Reserved" in held and "5\xa0hours" in held
    assert "Reserved" not in expired


def test_empty_result_suggests_loosening_each_filter(client, catalogue):
    response = client.get("/en/numbers/", {"pattern": "a6", "operator": "mobile", "price_max": 10})

    body = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == []
    assert "No number matches" in body
    assert 'href="?operator=mobile&amp;price_max=10"' in body  # without the class
    assert 'href="?pattern=a6&amp;price_max=10"' in body  # without the operator
    assert 'href="?pattern=a6&amp;operator=mobile"' in body  # without the price


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": "abc"}, "q"),
        ({"q": "88a8"}, "q"),
        ({"q": "12345678901"}, "q"),
        ({"q": "12345678", "pos": "start"}, "q"),
        ({"pos": "middle", "q": "8"}, "pos"),
        ({"pattern": "lucky"}, "pattern"),
        ({"pattern": ["a4", "<script>"]}, "pattern"),
        ({"operator": "unicorn"}, "operator"),
        ({"exclude": "x4"}, "exclude"),
        ({"exclude": "0123456789"}, "exclude"),
        ({"price_min": "cheap"}, "price_min"),
        ({"price_min": "-5"}, "price_min"),
        ({"price_max": "1e99"}, "price_max"),
        ({"price_min": 5000, "price_max": 100}, "price_min"),
        ({"sort": "random"}, "sort"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "99"}, "page"),
        ({"q": "\x00"}, "q"),
    ],
)
def test_bad_input_comes_back_with_a_message_next_to_the_field(client, catalogue, query, field):
    response = client.get(URL, query)

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()


def test_bad_input_keeps_the_valid_filters(client, catalogue):
    response = client.get(URL, {"pattern": "a6", "price_min": "cheap"})

    assert response.status_code == 400
    assert listed(response) == [EXAMPLES["a6"]]


def test_messages_are_in_the_visitors_language(client, catalogue):
    english = client.get("/en/numbers/", {"q": "abc"}).content.decode()
    chinese = client.get(URL, {"q": "abc"}).content.decode()

    assert "Use digits and * only" in english
    assert "只能输入数字和 *" in chinese


def catalogue_queries(queries) -> list[str]:
    """The catalogue's own queries; the footer's office list is the site's, on every page."""
    sql = [query["sql"] for query in queries]
    assert all("numbers_" in q or q.startswith('SELECT "offices_office"') for q in sql), sql
    return [q for q in sql if "numbers_" in q]


def test_catalogue_runs_two_queries_whatever_the_page_size(client):
    for i in range(40):
        NumberFactory(number=f"40060000{i:02d}")
    client.get(URL)  # fills the caches of hot searches and offices
    for size in (1, 10, 40):
        CatalogueView.paginate_by, default = size, CatalogueView.paginate_by
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL, {"operator": "unicom", "page": 1, "sort": "price"})
        finally:
            CatalogueView.paginate_by = default
        assert len(listed(response)) == size
        # The count and the page; hot searches and the footer's offices come from the cache.
        assert len(queries) == 2, [query["sql"] for query in queries.captured_queries]


def test_a_new_search_costs_no_query_of_its_own(client):
    NumberFactory(number="4006328888")
    client.get(URL, {"q": "518"})  # fills the caches; queues the minute's counter flush

    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "8888", "pos": "end"})

    assert len(catalogue_queries(queries.captured_queries)) == 2  # counted off the database


def test_shortlist_on_the_page_costs_no_query(client):
    for i in range(3):
        NumberFactory(number=f"40060000{i:02d}")
    for digits in ("4006000000", "4006000001"):
        client.post(reverse("shortlist"), {"action": "add", "number": digits})
    client.get(URL)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)

    assert len(catalogue_queries(queries.captured_queries)) == 2
    assert response.context["shortlist"].digits == ["4006000000", "4006000001"]


def test_operator_choices_are_the_contract_slugs():
    assert set(Operator.values) == {"unicom", "mobile", "telecom"}


def test_searches_are_tallied_by_digits_and_classes_only(client):
    one, two = {"REMOTE_ADDR": "203.0.113.1"}, {"REMOTE_ADDR": "203.0.113.2"}
    client.get(URL, {"q": "8888", "pos": "end", "pattern": ["aabb", "a4"], "price_max": 9}, **one)
    client.get(URL, {"pattern": ["a4", "aabb"], "q": "8888", "pos": "end", "sort": "price"}, **two)
    client.get(URL, {"q": "8888", "pos": "end", "pattern": ["a4", "aabb"], "page": 2})  # paging
    client.get(URL, {"q": "88a8"})  # invalid: not tallied
    client.get(URL, {"operator": "unicom"})  # no digits or classes: nothing to tally
    counters_flush()

    tallies = list(SearchTally.objects.values_list("query", "hits"))
    assert tallies == [("q=8888&pos=end&pattern=a4&pattern=aabb", 2)]
    assert {field.name for field in SearchTally._meta.fields} == {"id", "day", "query", "hits"}


def test_popular_searches_of_the_last_30_days_show_as_links(client):
    today = timezone.localdate()
    SearchTally.objects.create(day=today, query="q=8888&pos=end", hits=5)
    SearchTally.objects.create(day=today - timedelta(days=29), query="pattern=aabb", hits=7)
    SearchTally.objects.create(day=today - timedelta(days=30), query="q=6666&pos=any", hits=99)

    body = client.get("/en/numbers/").content.decode()

    assert body.index('href="?pattern=aabb">AABB</a>') < body.index(
        'href="?q=8888&amp;pos=end">…8888</a>'
    )
    assert "6666" not in body


def test_the_pattern_choices_are_the_slugs_the_rules_classify():
    assert tuple(Pattern.values) == PATTERN_SLUGS


def chosen_inputs(html: str, name: str) -> dict[str, bool]:
    """The radio buttons or checkboxes called ``name``: value → checked."""
    tags = re.findall(rf'<input type="(?:radio|checkbox)" name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]+)"', tag).group(1): " checked" in tag for tag in tags}


def test_the_search_form_shows_the_filters_that_are_on(client):
    html = client.get(
        URL, {"pos": "end", "pattern": ["a4", "aabb"], "operator": "unicom"}
    ).content.decode()

    assert chosen_inputs(html, "pos") == {"any": False, "start": False, "end": True}
    patterns_on = {slug for slug, on in chosen_inputs(html, "pattern").items() if on}
    assert patterns_on == {"a4", "aabb"} and len(chosen_inputs(html, "pattern")) == 14
    assert chosen_inputs(html, "operator") == {"unicom": True, "mobile": False, "telecom": False}
    # Each input is labelled by its own id.
    assert re.search(r'id="id_pattern_1" checked> <label for="id_pattern_1">', html)


def test_the_search_form_starts_at_anywhere_with_nothing_else_chosen(client):
    html = client.get(URL).content.decode()

    assert chosen_inputs(html, "pos") == {"any": True, "start": False, "end": False}
    assert not any(chosen_inputs(html, "pattern").values())
    assert not any(chosen_inputs(html, "operator").values())
