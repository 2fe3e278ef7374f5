"""Staff who may reveal ID numbers get short sessions; everyone else keeps two weeks."""

import time

import pytest
from django.conf import settings
from django.test import Client

from accounts import sessions
from accounts.roles import AGENTS, EDITORS, REVIEWERS

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ADMIN = "/admin/"


def log_in(username):
    client = Client()
    answer = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def backdate(client, **seconds_ago):
    """Move the session's clocks back, as if that much time had passed."""
    session = client.session
    now = time.time()
    for key, seconds in seconds_ago.items():
        session[getattr(sessions, key)] = now - seconds
    session.save()


def test_a_reviewers_session_runs_out_after_the_idle_limit(make_user):
    make_user("reviewer", groups=[REVIEWERS], is_staff=True)

    client = log_in("reviewer")

    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_MINUTES * 60
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


@pytest.mark.parametrize(
    ("username", "groups", "staff"), [("agent", [AGENTS], False), ("editor", [EDITORS], True)]
)
def test_staff_who_cannot_reveal_keep_the_usual_session(make_user, username, groups, staff):
    make_user(username, groups=groups, is_staff=staff)

    client = log_in(username)

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    backdate(client, AUTHENTICATED_AT=3 * 3600)
    assert client.get("/accounts/password/").status_code == 200


def test_an_idle_reviewer_is_logged_out_and_told(make_user):
    make_user("reviewer", groups=[REVIEWERS], is_staff=True)
    client = log_in("reviewer")
    backdate(client, SEEN_AT=31 * 60)

    answer = client.get(ADMIN, follow=True)

    assert "_auth_user_id" not in client.session
    assert answer.redirect_chain[-1][0].startswith(ADMIN + "login/")
    assert "会话已结束，请重新登录" in answer.content.decode()


def test_a_busy_reviewer_is_logged_out_after_the_longest_session(make_user):
    make_user("reviewer", groups=[REVIEWERS], is_staff=True)
    client = log_in("reviewer")
    backdate(client, LOGGED_IN_AT=8 * 3600 + 60, SEEN_AT=60)

    assert client.get(ADMIN).status_code == 302
    assert "_auth_user_id" not in client.session


def test_each_request_keeps_a_reviewers_session_alive(make_user):
    make_user("reviewer", groups=[REVIEWERS], is_staff=True)
    client = log_in("reviewer")
    backdate(client, SEEN_AT=29 * 60)

    assert client.get(ADMIN).status_code == 200

    assert time.time() - client.session[sessions.SEEN_AT] < 60
    assert client.get(ADMIN).status_code == 200
