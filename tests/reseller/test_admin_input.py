"""Hostile query strings on every admin changelist (and the number export) as a superuser:
a NUL is a 400, an unknown or out-of-range lookup is the admin's own "?e=1" page; no 5xx.

The admins come from ``admin.site._registry``, so a newly registered model is walked too.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in REGISTERED]
WITH_DATE_HIERARCHY = [(m, a) for m, a in REGISTERED if a.date_hierarchy]
WITH_EXPORT = [(m, a) for m, a in REGISTERED if hasattr(a, "export_action")]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def filter_params(model_admin):
    """The query parameter of each field a changelist filters on, plus its search box."""
    names = ["q", "status__exact"]
    for list_filter in model_admin.list_filter:
        field = list_filter[0] if isinstance(list_filter, (tuple, list)) else list_filter
        if isinstance(field, str):
            names.append(f"{field}__exact")
        else:
            names.append(getattr(field, "parameter_name", None) or "q")
    return names


@pytest.fixture
def superuser_client(admin_client):
    admin_client.raise_request_exception = False
    NumberFactory(number="4006328888")
    return admin_client


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_a_nul_in_any_filter_or_search_is_a_bad_request(superuser_client, model, model_admin):
    for name in filter_params(model_admin):
        response = superuser_client.get(f"{changelist(model)}?{name}=%00")

        assert response.status_code == 400, f"{name}: {response.status_code}"
    assert superuser_client.get(f"{changelist(model)}?q=a%00b&e=1").status_code == 400


@pytest.mark.parametrize(
    "dates",
    [
        {"year": "99999999999"},
        {"year": "2026", "month": "99999999999"},
        {"year": "2026", "month": "1", "day": "99999999999"},
        {"year": "9999"},
        {"year": "9999", "month": "12"},
        {"year": "9999", "month": "12", "day": "31"},
        {"year": "-1"},
        {"year": "0"},
        {"year": "x"},
    ],
    ids=lambda dates: "-".join(dates.values()),
)
@pytest.mark.parametrize(
    ("model", "model_admin"),
    WITH_DATE_HIERARCHY,
    ids=[m._meta.label for m, _ in WITH_DATE_HIERARCHY],
)
def test_a_date_out_of_range_is_the_admins_own_error_page(
    superuser_client, model, model_admin, dates
):
    query = "&".join(
        f"{model_admin.date_hierarchy}__{part}={value}" for part, value in dates.items()
    )

    response = superuser_client.get(f"{changelist(model)}?{query}")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_an_unknown_lookup_is_the_admins_own_error_page(superuser_client, model, model_admin):
    response = superuser_client.get(f"{changelist(model)}?bogus=x&created_at__year=99999999999")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("query", ["foo=1", "status__exact=available&bogus=x", "plan__id=x"])
@pytest.mark.parametrize(
    ("model", "model_admin"), WITH_EXPORT, ids=[m._meta.label for m, _ in WITH_EXPORT]
)
def test_an_export_with_a_stray_parameter_answers_like_its_list(
    superuser_client, model, model_admin, query
):
    response = superuser_client.get(f"{changelist(model)}export/?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{changelist(model)}?e=1"


def test_an_export_with_known_filters_still_offers_the_filtered_set(superuser_client):
    response = superuser_client.get("/admin/numbers/number/export/?status__exact=available")

    assert response.status_code == 200


def test_a_nul_in_the_exports_filters_is_a_bad_request(superuser_client):
    response = superuser_client.get("/admin/numbers/number/export/?status__exact=%00")

    assert response.status_code == 400
