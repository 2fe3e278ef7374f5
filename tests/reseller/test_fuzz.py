"""Arbitrary query strings and form data never make a public page or admin changelist fail.

Hypothesis throws overlong, non-UTF-8, NUL-laden, surrogate and huge-integer values at
the catalogue, look-up, order, call-back, shortlist and login forms and at admin
changelists; any 5xx fails. ``HYPOTHESIS_PROFILE=thorough`` runs many more examples.
"""

import os
from urllib.parse import quote_from_bytes

import pytest
from django.contrib import admin
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import NumberFactory

settings.register_profile(
    "suite",
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

pytestmark = pytest.mark.django_db

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.just("\x00"),
    st.builds(lambda n: str(n), st.integers(min_value=-(10**40), max_value=10**40)),
    st.sampled_from(["\ud800", "%00", "%ff%fe", "../../etc/passwd", "' OR 1=1 --", "9" * 400]),
)
# Raw query strings, percent-encoded bytes included (non-UTF-8 too).
raw_query = st.lists(
    st.tuples(
        st.sampled_from(["q", "pos", "pattern", "operator", "exclude", "price_min", "price_max"])
        | st.sampled_from(["sort", "page", "next", "o", "p", "status__exact", "e", "q"])
        | st.sampled_from(["created_at__year", "uploaded_at__year", "uploaded_at__month"])
        | st.sampled_from(["uploaded_at__day", "published_at__year", "timestamp__year"]),
        st.binary(max_size=40).map(lambda b: "".join(f"%{byte:02x}" for byte in b)) | nasty_text,
    ),
    max_size=6,
)

PUBLIC_GET = ["/", "/numbers/", "/news/", "/offices/", "/orders/", "/shortlist/", "/en/numbers/"]
PUBLIC_POST = {
    "/numbers/4006328888/order/": ["name", "company", "mobile", "email", "office", "message"],
    "/orders/": ["reference", "mobile"],
    "/callback/": ["name", "mobile", "message"],
    "/shortlist/": ["number", "next", "action"],
    "/accounts/login/": ["username", "password"],
}
# Every registered changelist, the libraries' (auth, axes, auditlog, tasks) included.
ADMIN_LISTS = sorted(
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
)


def query_string(pairs):
    return "&".join(
        f"{key}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'), safe='%')}"
        for key, value in pairs
    )


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


@pytest.fixture
def number():
    return NumberFactory(number="4006328888")


@given(pairs=raw_query, path=st.sampled_from(PUBLIC_GET))
def test_public_pages_survive_any_query_string(number, pairs, path):
    client = Client(raise_request_exception=False)

    response = client.get(f"{path}?{query_string(pairs)}")

    assert_no_server_error(response, path)


@given(data=st.data(), path=st.sampled_from(sorted(PUBLIC_POST)))
def test_public_forms_survive_any_form_data(number, data, path):
    fields = {name: data.draw(nasty_text, label=name) for name in PUBLIC_POST[path]}
    client = Client(raise_request_exception=False, REMOTE_ADDR="203.0.113.9")
    # Encoded by hand, as a hostile client would: lone surrogates become their raw bytes.
    body = "&".join(
        f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in fields.items()
    )

    response = client.post(path, body, content_type="application/x-www-form-urlencoded")

    assert_no_server_error(response, path)


@given(pairs=raw_query, path=st.sampled_from(ADMIN_LISTS))
def test_admin_changelists_survive_any_query_string(admin_client, number, pairs, path):
    admin_client.raise_request_exception = False

    response = admin_client.get(f"{path}?{query_string(pairs)}")

    assert_no_server_error(response, path)


@pytest.mark.parametrize(
    "fields",
    [{"action": "add", "number": "\x00", "next": "0"}, {"action": "clear", "next": "no-slash"}],
)
def test_the_shortlist_refuses_odd_input_cleanly(client, fields):
    response = client.post("/shortlist/", fields)

    assert response.status_code == 302
    assert response["Location"] == "/shortlist/"
