"""Documents leave the server only through the checking view, with safe headers, logged."""

import pytest
from django.urls import reverse

from compliance.models import DocumentAccess
from tests.compliance.factories import pdf_bytes, stored_document

pytestmark = pytest.mark.django_db


def test_image_is_served_as_its_clean_copy_with_safe_headers(
    client, settings, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url())

    body = b"".join(response.streaming_content)
    assert body == (settings.PRIVATE_MEDIA_ROOT / document.display_name).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="licence.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_original_is_downloaded_as_an_attachment(client, settings, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url() + "?original=1")

    body = b"".join(response.streaming_content)
    assert body == (settings.PRIVATE_MEDIA_ROOT / document.stored_name).read_bytes()
    assert response["Content-Disposition"].startswith("attachment;")


def test_chinese_file_name_is_encoded_per_rfc_6266(client, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    type(document).objects.filter(pk=document.pk).update(original_name="营业执照.php")
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url())

    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.jpg"
    )


def test_pdf_is_served_as_pdf(client, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url())

    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("accel_prefix", ["", "/_private/"])
@pytest.mark.parametrize("query", ["", "?original=1"])
def test_pdf_is_sandboxed_and_never_sniffed(
    client, settings, agent_a, subscriber_a, accel_prefix, query
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = accel_prefix
    document = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url() + query)

    policy = [directive.strip() for directive in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = "attachment;" if query else "inline;"
    assert response["Content-Disposition"].startswith(disposition)


def test_every_view_and_download_is_logged(client, reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    client.get(document.get_absolute_url())
    client.get(document.get_absolute_url() + "?original=1")

    log = list(DocumentAccess.objects.order_by("pk").values_list("user", "ip", "as_download"))
    assert log == [(reviewer.pk, "127.0.0.1", False), (reviewer.pk, "127.0.0.1", True)]


def test_refused_access_is_not_served(client, agent_b, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(agent_b)

    assert client.get(document.get_absolute_url()).status_code == 404
    assert DocumentAccess.objects.count() == 0


def test_x_accel_redirect_hands_the_file_to_nginx(client, settings, agent_a, subscriber_a):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    document = stored_document(subscriber_a, agent_a)
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url() + "?original=1")

    assert response["X-Accel-Redirect"] == f"/_private/{document.stored_name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"


def test_missing_file_is_a_clear_410_not_a_500(client, settings, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    (settings.PRIVATE_MEDIA_ROOT / document.display_name).unlink()
    client.force_login(agent_a)

    assert client.get(document.get_absolute_url()).status_code == 410


def test_access_log_is_listed_in_admin(client, reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)
    client.get(document.get_absolute_url())

    page = client.get(reverse("admin:compliance_documentaccess_changelist"))

    assert page.status_code == 200
    assert "127.0.0.1" in page.content.decode()
