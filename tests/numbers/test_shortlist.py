"""The shortlist (备选单) in a signed cookie, and comparing up to four numbers."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from numbers.models import NumberStatus
from numbers.shortlist import COOKIE_NAME, LIMIT, SALT
from tests.factories import NumberFactory, PlanFactory

pytestmark = pytest.mark.django_db

URL = reverse("shortlist")


def add(client, digits, next_url=""):
    return client.post(URL, {"action": "add", "number": digits, "next": next_url})


def test_adding_redirects_back_and_the_shortlist_shows_on_the_catalogue(client):
    NumberFactory(number="4006328888")

    response = add(client, "4006328888", "/numbers/?pattern=a4")
    page = client.get("/numbers/?pattern=a4")

    assert response.status_code == 302
    assert response["Location"] == "/numbers/?pattern=a4"
    assert page.context["shortlist"].digits == ["4006328888"]
    assert 'href="/numbers/4006328888/">400-632-8888</a>' in page.content.decode()


def test_shortlist_needs_no_account_and_no_session_row(client, django_user_model):
    from django.contrib.sessions.models import Session

    NumberFactory(number="4006328888")
    add(client, "4006328888")

    assert Session.objects.count() == 0
    assert COOKIE_NAME in client.cookies


def test_adding_needs_the_csrf_token():
    NumberFactory(number="4006328888")
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"action": "add", "number": "4006328888"})

    assert response.status_code == 403
    assert COOKIE_NAME not in client.cookies


@pytest.mark.parametrize("digits", ["4006999999", "abc", "", "4006328888'--"])
def test_unknown_numbers_are_not_added(client, digits):
    NumberFactory(number="4006328888")

    response = add(client, digits)
    page = client.get(URL)

    assert response.status_code == 302
    assert page.context["entries"] == []


def test_unlisted_numbers_cannot_be_added(client):
    NumberFactory(number="4006328888", status=NumberStatus.RETIRED)

    add(client, "4006328888")

    assert client.get(URL).context["entries"] == []


def test_redirect_never_leaves_the_site(client):
    NumberFactory(number="4006328888")

    response = add(client, "4006328888", "https://evil.example/")

    assert response["Location"] == URL


def test_remove_and_clear(client):
    for digits in ("4006328888", "4006326666", "4006009999"):
        NumberFactory(number=digits)
        add(client, digits)

    client.post(URL, {"action": "remove", "number": "4006326666"})
    assert [d for d, _ in client.get(URL).context["entries"]] == ["4006328888", "4006009999"]

    client.post(URL, {"action": "clear"})
    assert client.get(URL).context["entries"] == []


def test_shortlist_is_limited_and_says_so(client):
    for i in range(LIMIT + 1):
        NumberFactory(number=f"40060000{i:02d}")
        response = client.post(
            "/en/shortlist/",
            {"action": "add", "number": f"40060000{i:02d}", "next": "/en/shortlist/"},
        )

    page = client.get(response["Location"])
    assert len(page.context["entries"]) == LIMIT
    assert "Your shortlist is full" in page.content.decode()


def test_compare_shows_up_to_four_side_by_side_with_price_plan_classes_operator(client):
    plan = PlanFactory(name="靓号年费套餐", annual_fee=25000, included_minutes=13888)
    numbers = ["4006328888", "4007126688", "4008686868", "4009015678", "4000156789"]
    for digits in numbers:
        NumberFactory(number=digits, plan=plan, price=25000)
        add(client, digits)

    response = client.get("/en/shortlist/")

    assert [d for d, _ in response.context["compared"]] == numbers[:4]
    body = response.content.decode()
    for label in (
        "Four of a kind",
        "AABB",
        "ABABAB",
        "Four rising",
        "China Mobile",
        "China Telecom",
        "¥25,000/year",
        "靓号年费套餐",
        "13,888",
    ):
        assert label in body


def test_visitor_chooses_which_four_to_compare(client):
    numbers = ["4006328888", "4007126688", "4008686868", "4009015678", "4000156789"]
    for digits in numbers:
        NumberFactory(number=digits)
        add(client, digits)

    chosen = client.get(URL, {"compare": ["4000156789", "4006328888"]}).context["compared"]
    too_many = client.get("/en/shortlist/", {"compare": numbers})

    assert [d for d, _ in chosen] == ["4000156789", "4006328888"]
    assert len(too_many.context["compared"]) == 4
    assert "Up to 4 numbers can be compared" in too_many.content.decode()


def test_numbers_that_stop_being_available_are_marked_not_dropped(client):
    sold = NumberFactory(number="4006328888")
    NumberFactory(number="4006326666")
    add(client, "4006328888")
    add(client, "4006326666")
    sold.status = NumberStatus.ACTIVE
    sold.save()

    response = client.get("/en/shortlist/")

    assert [d for d, _ in response.context["entries"]] == ["4006328888", "4006326666"]
    assert "No longer available" in response.content.decode()


def test_a_tampered_cookie_is_ignored(client):
    NumberFactory(number="4006328888")
    client.cookies[COOKIE_NAME] = signing.dumps(["4006328888"], salt="another-salt")

    assert client.get(URL).context["entries"] == []


def test_a_signed_cookie_with_junk_keeps_only_valid_numbers(client):
    NumberFactory(number="4006328888")
    client.cookies[COOKIE_NAME] = signing.dumps(["4006328888", "<b>", 5], salt=SALT)

    assert [d for d, _ in client.get(URL).context["entries"]] == ["4006328888"]


def test_shortlist_page_works_in_english_and_chinese(client):
    assert client.get("/shortlist/").status_code == 200
    assert client.get("/en/shortlist/").status_code == 200
