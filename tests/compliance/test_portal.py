"""The agent portal as a place to work: landing, header, password, logout, what concerns it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.models import Campaign, Holding
from numbers.models import NumberStatus, Order, OrderStatus
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_an_agent_lands_in_the_portal_after_logging_in(client, agent_a):
    response = client.post(reverse("login"), {"username": "agent_a", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("agent:overview")


def test_staff_still_land_where_they_asked(client, reviewer):
    response = client.post(
        reverse("login") + "?next=/admin/", {"username": "reviewer", "password": PASSWORD}
    )

    assert response["Location"] == "/admin/"


def test_every_portal_page_has_the_agent_logout_and_password_but_no_call_bar(
    client, agent_a, subscriber_a
):
    client.force_login(agent_a)

    for url in (
        reverse("agent:overview"),
        reverse("agent:subscriber", args=[subscriber_a.pk]),
        reverse("agent:subscriber-new"),
        reverse("password_change"),
    ):
        body = client.get(url).content.decode()
        assert "甲代理 · agent_a" in body, url
        assert f'<form method="post" action="{reverse("logout")}"' in body, url
        assert reverse("password_change") in body, url
        assert 'class="call-bar"' not in body, url


def test_logout_is_a_post_that_ends_the_session(client, agent_a):
    client.force_login(agent_a)

    client.post(reverse("logout"))

    assert client.get(reverse("agent:overview")).status_code == 302


def test_an_agent_changes_its_password(client, agent_a):
    client.force_login(agent_a)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-9-portal",
            "new_password2": "Another-9-portal",
        },
    )

    assert response.status_code == 302
    agent_a.refresh_from_db()
    assert agent_a.check_password("Another-9-portal")


def test_a_refused_upload_posts_to_the_anchor_of_its_errors(client, agent_a, subscriber_a):
    client.force_login(agent_a)
    url = reverse("agent:document-upload", args=[subscriber_a.pk])

    page = client.get(reverse("agent:subscriber", args=[subscriber_a.pk])).content.decode()
    refused = client.post(url, {"kind": "business_licence"})

    assert f'action="{url}#upload"' in page
    assert refused.status_code == 400
    assert 'id="upload"' in refused.content.decode()


def test_the_overview_names_deadlines_and_what_is_missing_for_whom(client, agent_a, subscriber_a):
    Campaign.objects.create(title="2027年复核", deadline=timezone.now() + timedelta(days=10))
    client.force_login(agent_a)

    body = client.get(reverse("agent:overview")).content.decode()

    assert "2027年复核" in body
    assert subscriber_a.company_name in body
    assert "营业执照 (未上传)" in body


def test_the_overview_never_says_in_service_for_a_suspended_number(
    client, agent_a, subscriber_a, reviewer
):
    number = NumberFactory(status=NumberStatus.ACTIVE)
    Order.objects.create(
        number=number,
        name="王经理",
        company=subscriber_a.company_name,
        mobile="13800000000",
        agent=agent_a,
        status=OrderStatus.ACTIVE,
    )
    Holding.objects.create(subscriber=subscriber_a, number=number)
    services.complaint_record(number=number, kind="fraud", details="诈骗", recorded_by=reviewer)
    client.force_login(agent_a)

    body = client.get(reverse("agent:overview")).content.decode()

    assert "号码已关停" in body
    assert "已开通" not in body


def test_the_public_site_links_to_the_portal(client):
    body = client.get("/").content.decode()

    assert f'<a href="{reverse("agent:overview")}">代理商平台</a>' in body
