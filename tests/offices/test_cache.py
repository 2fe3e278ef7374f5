"""The office list every page shows comes from the cache, and never goes stale after a change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from offices.models import Office, active_offices_cached
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_second_read_of_the_office_list_costs_no_query():
    OfficeFactory(name="广州400电话办理中心")
    active_offices_cached()

    with CaptureQueriesContext(connection) as queries:
        offices = active_offices_cached()

    assert len(queries) == 0
    assert [office.name for office in offices] == ["广州400电话办理中心"]
    assert offices[0].get_absolute_url() == Office.objects.get().get_absolute_url()


def test_saving_an_office_refreshes_the_list_at_once():
    office = OfficeFactory(name="旧名称")
    active_offices_cached()

    office.name = "新名称"
    office.save()

    assert [o.name for o in active_offices_cached()] == ["新名称"]


def test_hiding_offices_in_bulk_refreshes_the_list(admin_client):
    office = OfficeFactory(name="东莞400电话办理中心")
    active_offices_cached()

    admin_client.post(
        "/admin/offices/office/",
        {"action": "deactivate", "_selected_action": [office.pk]},
    )

    assert Office.objects.get(pk=office.pk).is_active is False
    assert active_offices_cached() == []
