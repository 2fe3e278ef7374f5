"""Evidence logs record the client behind nginx, never the proxy, never a forged address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.models import Document, DocumentAccess, IdNumberReveal
from tests.compliance.factories import pdf_bytes, stored_document

pytestmark = pytest.mark.django_db

BEHIND_NGINX = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.23"}


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.NUM_PROXIES = 1


def test_an_upload_records_the_client_behind_the_proxy(client, agent_a, subscriber_a):
    client.force_login(agent_a)

    url = reverse("agent:document-upload", args=[subscriber_a.pk])
    payload = {"kind": "business_licence", "file": SimpleUploadedFile("licence.pdf", pdf_bytes())}
    response = client.post(url, payload, **BEHIND_NGINX)

    assert response.status_code == 302
    assert Document.objects.get().uploaded_ip == "198.51.100.23"


def test_a_document_view_records_the_client_behind_the_proxy(
    client, reviewer, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    client.get(document.get_absolute_url(), **BEHIND_NGINX)

    assert DocumentAccess.objects.get().ip == "198.51.100.23"


def test_an_id_reveal_records_the_client_behind_the_proxy(client, reviewer, subscriber_a):
    client.force_login(reviewer)

    client.post(
        reverse("admin:compliance_subscriber_reveal", args=[subscriber_a.pk]), **BEHIND_NGINX
    )

    assert IdNumberReveal.objects.get().ip == "198.51.100.23"


def test_a_direct_client_cannot_write_its_own_address_into_the_log(
    client, reviewer, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    client.get(
        document.get_absolute_url(), REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )

    assert DocumentAccess.objects.get().ip == "203.0.113.5"
