"""The call-back form (免费400电话开通) on the home and contact pages."""

import pytest
from django.test import Client

from numbers.models import CallbackRequest

pytestmark = pytest.mark.django_db

DATA = {"name": "陈先生", "mobile": "139 0013 9000", "message": "想要8888结尾的号码"}


@pytest.mark.parametrize("url", ["/", "/contact/", "/en/", "/en/contact/", "/callback/"])
def test_the_call_back_form_is_on_the_home_and_contact_pages(client, url):
    body = client.get(url).content.decode()

    assert 'action="' in body and '/callback/"' in body
    for field in ("name", "mobile", "message"):
        assert f'name="{field}"' in body


def test_a_call_back_request_is_stored_as_a_lead_and_thanked(
    client, settings, mailoutbox, run_jobs
):
    settings.STAFF_NOTIFY_EMAILS = ["sales@example.com"]

    response = client.post("/callback/", DATA, follow=True)
    run_jobs()

    lead = CallbackRequest.objects.get()
    assert (lead.name, lead.mobile, lead.message) == ("陈先生", "13900139000", "想要8888结尾的号码")
    assert lead.handled is False
    assert response.redirect_chain == [("/callback/thanks/", 302)]
    assert "谢谢，我们会尽快回电" in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["sales@example.com"]
    assert mail.subject == "来自 陈先生 的回电请求"
    assert "13900139000" in mail.body


@pytest.mark.parametrize(
    ("change", "message"),
    [({"mobile": "020-8765 4321"}, "请输入中国大陆手机号"), ({"name": ""}, "这个字段是必填项")],
)
def test_bad_input_is_shown_by_the_field_and_nothing_is_stored(client, change, message):
    response = client.post("/callback/", {**DATA, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CallbackRequest.objects.exists()


def test_a_filled_honeypot_stores_nothing(client):
    response = client.post("/callback/", {**DATA, "website": "spam"})

    assert response.status_code == 400
    assert not CallbackRequest.objects.exists()


def test_call_back_requests_are_rate_limited(settings):
    settings.RATE_LIMIT_ORDERS = "2/h"
    visitor = Client(REMOTE_ADDR="203.0.113.5")

    statuses = [visitor.post("/callback/", DATA).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert CallbackRequest.objects.count() == 2
