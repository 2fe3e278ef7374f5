"""Pages the same for every visitor, served from the cache: what they save, and what they keep.

Nothing here is timed: a page served from the cache is one that runs no query and
renders no template; a change shows on the very next request.
"""

import re
import time

import jinja2
import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.cache import CONTENT_VERSION_KEY, forget_content_version
from accounts.pages import KeptPage, recent_pages
from numbers.models import Number, NumberStatus, SearchTally
from numbers.services import counters_flush, number_transition, order_place
from tests.factories import ArticleFactory, NumberFactory, OfficeFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("numbers:catalogue")
HOME = reverse("home")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def forget_everything():
    cache.clear()  # no page of another test
    caches["fragments"].clear()
    recent_pages.clear()  # nor one this process kept in its memory
    forget_content_version()


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_LOCAL_SECONDS = 3600  # no test may depend on the clock
    forget_everything()
    yield
    forget_everything()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what waits for the commit (the bump of the generation)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Templates:
    def __init__(self):
        self.names = []

    def __call__(self, sender, template, **kwargs):
        self.names.append(template.name)


@pytest.fixture
def rendered(monkeypatch):
    """The names of the templates rendered: Django's (its test signal) and Jinja2's cards."""
    templates = Templates()
    template_rendered.connect(templates)
    render = jinja2.Template.render

    def recording(template, *args, **kwargs):
        templates.names.append(template.name)
        return render(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", recording)
    yield templates.names
    template_rendered.disconnect(templates)


@pytest.mark.parametrize("path", [CATALOGUE, f"{CATALOGUE}?operator=unicom", HOME, "/en/"])
def test_a_second_anonymous_visit_runs_no_query_and_renders_no_template(client, path, rendered):
    NumberFactory(number="4006328888", featured=True)
    first = client.get(path)
    rendered.clear()

    with CaptureQueriesContext(connection) as queries:
        second = Client().get(path)

    assert second.status_code == first.status_code == 200
    assert [query["sql"] for query in queries.captured_queries] == []
    assert rendered == []
    assert "400-632-8888" in second.content.decode()


def test_a_number_page_from_the_cache_still_counts_the_view(client):
    number = NumberFactory(number="4006328888")
    url = number.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)

    assert response.status_code == 200
    assert len(queries) == 0  # the view waits in the counters' buffer
    counters_flush()
    number.refresh_from_db()
    assert number.view_count == 2


def test_a_search_from_the_cache_is_still_tallied(client):
    NumberFactory(number="4006328888")
    client.get(CATALOGUE, {"q": "8888", "pos": "end"})
    Client(REMOTE_ADDR="198.51.100.7").get(CATALOGUE, {"q": "8888", "pos": "end"})
    paging = {"q": "8888", "pos": "end", "page": 1}  # paging: not a new search
    Client(REMOTE_ADDR="198.51.100.8").get(CATALOGUE, paging)
    counters_flush()

    assert SearchTally.objects.get(query="q=8888&pos=end").hits == 2


def test_a_bad_search_is_kept_with_its_400_status_and_messages(client):
    client.get(CATALOGUE, {"q": "abc"})
    response = Client().get(CATALOGUE, {"q": "abc"})

    assert response.status_code == 400
    assert 'id="id_q_error"' in response.content.decode()


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works():
    NumberFactory(number="4006328888")
    Client().get(CATALOGUE)  # the page is in the cache from here on
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(CATALOGUE).content.decode()
    tokens = set(TOKEN.findall(page))

    assert len(tokens) == 1 and "shared-page" not in page
    response = visitor.post(
        reverse("shortlist"),
        {"action": "add", "number": "4006328888", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302


def test_a_visitor_with_a_shortlist_gets_a_page_of_their_own(client):
    NumberFactory(number="4006328888")
    Client().get(CATALOGUE)
    client.post(reverse("shortlist"), {"action": "add", "number": "4006328888"})

    body = client.get(CATALOGUE).content.decode()

    assert 'value="remove"' in body
    assert "shared-page" not in body


def test_a_visitor_with_a_session_gets_a_page_of_their_own(client, make_user):
    NumberFactory(number="4006328888", featured=True)
    Client().get(HOME)
    make_user("staffer", is_staff=True)
    client.post(reverse("login"), {"username": "staffer", "password": "correct-horse-battery"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)

    assert response.status_code == 200
    assert len(queries) > 0  # rendered for them: the session, the user, the page's rows


def test_a_new_price_shows_at_once(client, committed):
    number = NumberFactory(number="4006328888", price=25000)
    assert "25,000" in client.get(CATALOGUE).content.decode()

    with committed():
        number.price = 38000
        number.save()

    body = Client().get(CATALOGUE).content.decode()
    assert "38,000" in body and "25,000" not in body


def test_a_number_taken_by_an_order_or_retired_leaves_the_catalogue_at_once(client, committed):
    taken = NumberFactory(number="4006328888")
    retired = NumberFactory(number="4006326666")
    assert "400-632-8888" in client.get(taken.get_absolute_url()).content.decode()
    client.get(CATALOGUE)

    with committed():
        order_place(digits=taken.number, name="王经理", company="示例公司", mobile="13800138000")
        number_transition(number=retired, to=NumberStatus.RETIRED)

    body = Client().get(CATALOGUE).content.decode()
    held = re.search(r'<article class="number-card[^"]*"[^>]*>.*?</article>', body, re.S)
    assert "400-632-8888" in held.group(0) and "number-card--held" in held.group(0)
    assert "400-632-6666" not in body
    assert Client().get(retired.get_absolute_url()).status_code == 404


def test_a_new_office_or_article_shows_on_the_home_page_at_once(client, committed):
    client.get(HOME)

    with committed():
        OfficeFactory(name="深圳办理中心")
        ArticleFactory(title="新年营业时间")

    body = Client().get(HOME).content.decode()
    assert "深圳办理中心" in body and "新年营业时间" in body


def test_pages_are_kept_per_language(client):
    client.get(CATALOGUE)
    english = Client().get(f"/en{CATALOGUE}").content.decode()

    assert '<html lang="en">' in english


def test_without_a_shared_cache_every_page_is_rendered(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    NumberFactory(number="4006328888")
    client.get(CATALOGUE)

    with CaptureQueriesContext(connection) as queries:
        Client().get(CATALOGUE)

    assert len(queries) == 2
    assert Number.objects.count() == 1


def test_cards_carry_this_visitors_own_return_path_and_token(client):
    for digits in ("4006328888", "4006326666"):
        NumberFactory(number=digits)
    Client().get(CATALOGUE)  # another visitor's page first

    body = Client().get(CATALOGUE, {"sort": "price"}).content.decode()

    assert 'value="/numbers/?sort=price#number-4006328888"' in body
    assert len(set(TOKEN.findall(body))) == 1


def test_cards_of_the_visitors_shortlist_are_their_own(client):
    for digits in ("4006328888", "4006326666"):
        NumberFactory(number=digits)
    Client().get(CATALOGUE, {"sort": "price"})
    client.post(reverse("shortlist"), {"action": "add", "number": "4006328888"})

    body = client.get(CATALOGUE).content.decode()

    cards = dict(re.findall(r'id="number-(\d+)">(.*?)</article>', body, re.S))
    assert 'value="remove"' in cards["4006328888"]
    assert 'value="add"' in cards["4006326666"]


def test_a_page_popular_in_this_process_is_served_from_its_memory(client, rendered):
    NumberFactory(number="4006328888")
    client.get(CATALOGUE)
    cache.clear()  # the shared cache forgot the page, and the generation, meanwhile
    rendered.clear()

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(CATALOGUE)

    assert response.status_code == 200
    assert "400-632-8888" in response.content.decode()
    assert [query["sql"] for query in queries.captured_queries] == []
    assert rendered == []


def test_a_change_made_by_another_server_shows_once_the_reading_is_old(client, settings):
    number = NumberFactory(number="4006328888", price=25000)
    client.get(CATALOGUE)
    # Another server changed the price: the row, then the generation in the shared cache.
    Number.objects.filter(pk=number.pk).update(price=38000)
    cache.incr(CONTENT_VERSION_KEY)

    assert "25,000" in Client().get(CATALOGUE).content.decode()  # within the trusted seconds
    settings.PAGE_CACHE_LOCAL_SECONDS = 0  # …and once they have passed
    body = Client().get(CATALOGUE).content.decode()
    assert "38,000" in body and "25,000" not in body


def test_the_pages_a_process_keeps_stay_within_their_bytes():
    recent = type(recent_pages)(max_bytes=1000)
    page = KeptPage(
        version=1, expires_at=time.time() + 60, status=200,
        content_type="text/html", content=b"x" * 400, replay_with=None,
    )  # fmt: skip
    for key in ("a", "b", "c"):
        recent.put(key, page)
    recent.get("b", 1)  # served again: kept before "c"
    recent.put("d", page)

    assert [key for key in "abcd" if recent.get(key, 1)] == ["b", "d"]
    assert recent.get("d", 2) is None  # another generation


def test_the_footer_is_rendered_once_for_the_pages_that_show_it(client, rendered):
    Client().get(CATALOGUE, {"q": "8888"})
    Client().get(CATALOGUE, {"q": "6666"})
    Client().get(f"/en{CATALOGUE}", {"q": "8888"})

    assert rendered.count("numbers/catalogue.html") == 3
    assert rendered.count("partials/footer.html") == 2  # once per language


def test_the_search_form_renders_a_field_once_for_each_value_it_shows(client, rendered):
    for q in ("8888", "6666", "1234"):
        Client().get(CATALOGUE, {"q": q, "pos": "end"})

    assert rendered.count("numbers/catalogue.html") == 3
    assert rendered.count("numbers/partials/choice_fieldset.html") == 3  # pos, pattern, operator
    # q's field is rendered for each value; exclude, the two prices and sort once.
    assert rendered.count("partials/field.html") == 3 + 4


def test_a_kept_search_field_shows_this_search_its_own_choices_and_errors(client):
    def field(body, name):
        return re.search(
            rf'<div class="field[^"]*">\s*<label for="id_{name}".*?</div>', body, re.S
        )[0]

    Client().get(CATALOGUE, {"pos": "end", "price_min": "cheap"})
    body = Client().get(CATALOGUE, {"pos": "start", "price_min": "3000"}).content.decode()

    assert 'value="start" id="id_pos_1" checked' in body
    assert 'value="end" id="id_pos_2" checked' not in body
    assert "field__error" not in field(body, "price_min")
    assert 'value="3000"' in field(body, "price_min")
    wrong = Client().get(CATALOGUE, {"price_min": "cheap"}).content.decode()
    assert "field__error" in field(wrong, "price_min")


def test_a_new_office_shows_in_the_footer_of_every_page_at_once(client, committed):
    Client().get(CATALOGUE, {"q": "8888"})

    with committed():
        OfficeFactory(name="深圳办理中心")

    footer = (
        Client()
        .get(CATALOGUE, {"q": "6666"})
        .content.decode()
        .split('<footer class="site-footer">')[1]
    )
    assert "深圳办理中心" in footer
