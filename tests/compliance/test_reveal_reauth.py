"""A reveal asks for the password again once it was last typed a while ago."""

import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts import sessions
from compliance.models import IdNumberReveal

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def reveal_url(subscriber_a):
    return reverse("admin:compliance_subscriber_reveal", args=[subscriber_a.pk])


@pytest.fixture
def stale_reviewer(client, reviewer):
    """A reviewer whose password was typed six minutes ago."""
    client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    session = client.session
    session[sessions.AUTHENTICATED_AT] = time.time() - 6 * 60
    session.save()
    return reviewer


def test_a_fresh_login_reveals_without_asking_again(client, reviewer, subscriber_a, reveal_url):
    client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})

    page = client.get(reveal_url)
    shown = client.post(reveal_url)

    assert 'type="password"' not in page.content.decode()
    assert subscriber_a.reveal_legal_rep_id() in shown.content.decode()


def test_an_old_password_is_asked_for_before_the_number_is_shown(
    client, stale_reviewer, subscriber_a, reveal_url
):
    plain = subscriber_a.reveal_legal_rep_id()

    asked = client.get(reveal_url)
    refused = client.post(reveal_url)

    assert 'name="password"' in asked.content.decode()
    assert refused.status_code == 200
    assert plain not in refused.content.decode()
    assert IdNumberReveal.objects.count() == 0


def test_the_right_password_reveals_and_counts_as_fresh(
    client, stale_reviewer, subscriber_a, reveal_url
):
    plain = subscriber_a.reveal_legal_rep_id()

    shown = client.post(reveal_url, {"password": PASSWORD})
    again = client.post(reveal_url)

    assert plain in shown.content.decode()
    assert plain in again.content.decode()
    assert IdNumberReveal.objects.filter(user=stale_reviewer).count() == 2


@pytest.mark.parametrize("password", ["", "wrong", "\x00", "x" * 5000, "correct-horse-battery "])
def test_a_wrong_or_malformed_password_is_a_form_error(
    client, stale_reviewer, subscriber_a, reveal_url, password
):
    answer = client.post(reveal_url, {"password": password})

    assert answer.status_code == 200
    assert answer.context["form"].errors["password"]
    assert subscriber_a.reveal_legal_rep_id() not in answer.content.decode()
    assert IdNumberReveal.objects.count() == 0


def test_wrong_passwords_at_the_reveal_lock_the_account_like_failed_logins(
    client, stale_reviewer, subscriber_a, reveal_url
):
    answers = [client.post(reveal_url, {"password": f"guess-{n}"}) for n in range(5)]
    right = client.post(reveal_url, {"password": PASSWORD})

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert subscriber_a.reveal_legal_rep_id() not in right.content.decode()
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start >= 5
    assert IdNumberReveal.objects.count() == 0
