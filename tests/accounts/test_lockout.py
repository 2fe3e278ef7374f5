"""django-axes: five wrong passwords lock the username and the client out, for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, path, username, password, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_after_five_wrong_passwords_even_the_right_one_is_refused(make_user, path):
    make_user("agent", is_staff=True)
    client = Client(REMOTE_ADDR="203.0.113.10")

    wrong = [log_in(client, path, "agent", f"guess-{n}").status_code for n in range(5)]
    right = log_in(client, path, "agent", PASSWORD)

    assert wrong == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert not logged_in(client)
    assert "登录失败次数过多" in right.content.decode()  # the lockout page, in Chinese
    assert int(right["Retry-After"]) == 30 * 60


def test_four_wrong_passwords_then_the_right_one_logs_in(make_user):
    make_user("agent")
    client = Client(REMOTE_ADDR="203.0.113.10")

    for n in range(4):
        log_in(client, "/accounts/login/", "agent", f"guess-{n}")
    right = log_in(client, "/accounts/login/", "agent", PASSWORD)

    assert right.status_code == 302
    assert logged_in(client)


def test_a_locked_username_stays_locked_from_every_other_address(make_user):
    make_user("agent")
    for n in range(5):
        log_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), "/accounts/login/", "agent", "guess")

    elsewhere = Client(REMOTE_ADDR="198.51.100.50")

    assert log_in(elsewhere, "/accounts/login/", "agent", PASSWORD).status_code == 429
    assert not logged_in(elsewhere)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_username_too_long_to_store_is_a_wrong_login_and_counts(make_user, path):
    # Django's login forms pass any length on; django-axes stores 255 characters.
    client = Client(REMOTE_ADDR="203.0.113.20")
    typed = "0" * 300

    answers = [log_in(client, path, typed, "0").status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().username == typed[:255]


def test_a_client_guessing_many_usernames_is_locked_out_too(make_user):
    make_user("victim")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(5):
        log_in(client, "/accounts/login/", f"user{n}", "guess")

    assert log_in(client, "/accounts/login/", "victim", PASSWORD).status_code == 429
    # Someone else, from another address, still logs in as that user.
    other = Client(REMOTE_ADDR="198.51.100.50")
    assert log_in(other, "/accounts/login/", "victim", PASSWORD).status_code == 302


def test_a_forged_forwarded_header_neither_bypasses_nor_resets_the_lockout(make_user, settings):
    settings.NUM_PROXIES = 1  # configured for nginx, but this client talks to the app directly
    make_user("victim")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(5):
        log_in(client, "/accounts/login/", f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    forged = log_in(
        client, "/accounts/login/", "victim", PASSWORD, HTTP_X_FORWARDED_FOR="192.168.7.7"
    )

    assert forged.status_code == 429
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.10"}


def test_behind_nginx_the_lockout_is_per_real_client(make_user, settings):
    settings.NUM_PROXIES = 1
    make_user("victim")
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(5):
        log_in(proxy, "/accounts/login/", f"u{n}", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")

    locked = log_in(
        proxy, "/accounts/login/", "victim", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    other = log_in(
        proxy, "/accounts/login/", "victim", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert (locked.status_code, other.status_code) == (429, 302)


def test_after_the_cool_off_the_right_password_works_again(make_user):
    make_user("agent")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(5):
        log_in(client, "/accounts/login/", "agent", f"guess-{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert log_in(client, "/accounts/login/", "agent", PASSWORD).status_code == 302


def test_staff_see_and_clear_lockouts_in_admin(make_user):
    make_user("agent")
    for n in range(5):
        log_in(Client(REMOTE_ADDR="203.0.113.10"), "/accounts/login/", "agent", f"guess-{n}")
    admin = Client()
    admin.force_login(make_user("root", is_staff=True, is_superuser=True))

    page = admin.get("/admin/axes/accessattempt/")

    assert page.status_code == 200
    assert "203.0.113.10" in page.content.decode()
