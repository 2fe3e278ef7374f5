"""The office directory: grouped by province with the headquarters first, call and map links."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.roles import EDITORS
from offices.models import Office
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_offices_are_grouped_by_province_with_the_headquarters_first(client):
    OfficeFactory(name="长沙中心", province="湖南", city="长沙", order=5)
    OfficeFactory(name="深圳中心", province="广东", city="深圳", order=20)
    OfficeFactory(name="广州总部", province="广东", city="广州", order=90, is_headquarters=True)
    OfficeFactory(name="东莞中心", province="广东", city="东莞", order=10)
    OfficeFactory(name="已关闭", province="广东", is_active=False)

    response = client.get("/offices/")

    groups = [(p, [o.name for o in offices]) for p, offices in response.context["provinces"]]
    assert groups == [("广东", ["广州总部", "东莞中心", "深圳中心"]), ("湖南", ["长沙中心"])]
    body = response.content.decode()
    assert body.index("广州总部") < body.index("东莞中心") < body.index("长沙中心")
    assert "已关闭" not in body


def test_office_page_has_a_call_link_hours_notes_and_a_map_search_link(client):
    OfficeFactory(
        slug="dongguan",
        name="东莞400电话办理中心",
        city="东莞",
        address="东莞市南城区莞太路星鹏商务大厦B座8D2",
        phone="0769-2222 3333",
        opening_hours="周一至周六 9:00–17:30",
        notes="大厦地下停车场可停车",
    )

    body = client.get("/offices/dongguan/").content.decode()

    assert 'href="tel:076922223333"' in body
    assert "周一至周六 9:00–17:30" in body
    assert "大厦地下停车场可停车" in body
    map_url = body.split('class="button button--quiet" href="', 1)[1].split('"', 1)[0]
    parts = urlsplit(map_url.replace("&amp;", "&"))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "uri.amap.com", "/search")
    query = parse_qs(parts.query)
    assert query["keyword"] == ["东莞市南城区莞太路星鹏商务大厦B座8D2"]
    assert query["city"] == ["东莞"]
    assert "<script" not in body.split("<main", 1)[1]


def test_map_link_marks_the_exact_position_when_coordinates_are_known():
    office = OfficeFactory(
        name="广州中心", latitude=Decimal("23.185000"), longitude=Decimal("113.271000")
    )

    parts = urlsplit(office.map_url)

    assert parts.path == "/marker"
    query = parse_qs(parts.query)
    assert query["position"] == ["113.271000,23.185000"]
    assert query["name"] == ["广州中心"]


def test_search_link_adds_the_city_when_the_address_leaves_it_out():
    office = OfficeFactory(city="济南", address="天桥区堤口路中段")

    assert parse_qs(urlsplit(office.map_url).query)["keyword"] == ["济南天桥区堤口路中段"]


def test_office_without_its_own_phone_offers_the_national_hotline(client, settings):
    settings.SITE_HOTLINE = "4006675400"
    OfficeFactory(slug="jiangmen", phone="")

    body = client.get("/offices/jiangmen/").content.decode()

    assert 'href="tel:4006675400"' in body


def test_inactive_or_unknown_office_is_404(client):
    OfficeFactory(slug="closed", is_active=False)

    assert client.get("/offices/closed/").status_code == 404
    assert client.get("/offices/nowhere/").status_code == 404


def test_only_one_office_can_be_the_headquarters():
    OfficeFactory(is_headquarters=True)

    with pytest.raises(IntegrityError):
        OfficeFactory(is_headquarters=True)


def test_coordinates_come_in_pairs_and_in_range():
    with pytest.raises(ValidationError):
        OfficeFactory.build(slug="x", latitude=Decimal("23.1")).validate_constraints()
    with pytest.raises(ValidationError):
        OfficeFactory.build(
            slug="y", latitude=Decimal("123.1"), longitude=Decimal("113.2")
        ).validate_constraints()
    with pytest.raises(IntegrityError):
        OfficeFactory(longitude=Decimal("113.2"))


def test_contact_page_shows_the_headquarters_address(client):
    OfficeFactory(name="分中心", order=1)
    OfficeFactory(name="广州总部", address="广州白云区螺涌北路3街", is_headquarters=True, order=50)

    body = client.get("/contact/").content.decode()

    assert "<dt>总部</dt>" in body
    assert "广州白云区螺涌北路3街" in body


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("ed", groups=[EDITORS], is_staff=True))
    return client


def test_editor_changes_an_office_and_hides_another(editor_client):
    office = OfficeFactory(slug="foshan", name="佛山中心", order=40)
    other = OfficeFactory(slug="zhongshan")
    data = {
        "name": "佛山400电话办理中心",
        "slug": "foshan",
        "is_headquarters": "",
        "order": "15",
        "is_active": "on",
        "province": "广东",
        "city": "佛山",
        "district": "禅城区",
        "address": office.address,
        "latitude": "23.0",
        "longitude": "",
        "phone": "",
        "opening_hours": "周一至周五",
        "notes": "",
    }

    refused = editor_client.post(f"/admin/offices/office/{office.pk}/change/", data)
    data["longitude"] = "113.1"
    saved = editor_client.post(f"/admin/offices/office/{office.pk}/change/", data)
    editor_client.post(
        "/admin/offices/office/", {"action": "deactivate", "_selected_action": [other.pk]}
    )

    assert refused.status_code == 200
    assert "请同时填写纬度" in refused.content.decode()
    assert saved.status_code == 302
    office.refresh_from_db()
    assert (office.name, office.order) == ("佛山400电话办理中心", 15)
    assert not Office.objects.get(pk=other.pk).is_active


def test_office_admin_filters_by_province_and_active(editor_client):
    OfficeFactory(name="长沙中心", province="湖南")
    OfficeFactory(name="广州中心", province="广东")

    response = editor_client.get("/admin/offices/office/?province=湖南&is_active__exact=1")

    body = response.content.decode()
    assert "长沙中心" in body
    assert "广州中心" not in body


def test_second_headquarters_in_admin_gets_a_message_not_an_error(editor_client):
    OfficeFactory(is_headquarters=True)
    office = OfficeFactory(slug="shenzhen", name="深圳中心")
    data = {
        "name": office.name,
        "slug": office.slug,
        "is_headquarters": "on",
        "order": "10",
        "is_active": "on",
        "province": "广东",
        "city": "深圳",
        "district": "",
        "address": office.address,
        "latitude": "",
        "longitude": "",
        "phone": "",
        "opening_hours": "",
        "notes": "",
    }

    response = editor_client.post(f"/admin/offices/office/{office.pk}/change/", data)

    assert response.status_code == 200
    assert "已有另一个办理中心被设为总部" in response.content.decode()
    assert not Office.objects.get(pk=office.pk).is_headquarters
