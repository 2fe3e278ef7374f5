"""Documents in the private bucket (S3_PRIVATE_BUCKET), on a real S3 server: SeaweedFS."""

import hashlib
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.models import DocumentAccess
from tests.compliance.factories import jpeg_bytes, pdf_bytes, stored_document
from tests.support.servers import PRIVATE_BUCKET

pytestmark = pytest.mark.django_db


def read_object(buckets, name: str) -> bytes:
    return buckets.client().get_object(Bucket=PRIVATE_BUCKET, Key=name)["Body"].read()


def test_an_upload_through_the_portal_lands_in_the_bucket_and_not_on_disk(
    client, buckets, settings, agent_a, subscriber_a
):
    client.force_login(agent_a)
    data = pdf_bytes()

    response = client.post(
        f"/agent/subscribers/{subscriber_a.pk}/documents/",
        {"kind": "supplementary_agreement", "file": _upload("协议.pdf", data)},
    )

    assert response.status_code == 302
    document = subscriber_a.documents.get()
    assert read_object(buckets, document.stored_name) == data
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


def test_the_document_view_streams_from_the_bucket_and_logs_the_access(
    client, buckets, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    client.force_login(agent_a)

    response = client.get(document.get_absolute_url() + "?original=1")

    assert b"".join(response.streaming_content) == read_object(buckets, document.stored_name)
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Accel-Redirect" not in response
    assert DocumentAccess.objects.get().user == agent_a


def test_the_private_bucket_refuses_anyone_without_the_key(buckets, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{buckets.endpoint_url}/{PRIVATE_BUCKET}/{document.stored_name}")

    assert refused.value.code == 403


def test_a_file_gone_from_the_bucket_is_a_clear_410(client, buckets, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    buckets.client().delete_object(Bucket=PRIVATE_BUCKET, Key=document.display_name)
    client.force_login(agent_a)

    assert client.get(document.get_absolute_url()).status_code == 410


def test_verify_documents_checks_the_bucket_and_names_changed_and_missing_files(
    buckets, agent_a, subscriber_a
):
    changed = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    missing = stored_document(subscriber_a, agent_a, kind="handler_id", data=jpeg_bytes())
    out = StringIO()
    call_command("verify_documents", stdout=out, stderr=StringIO())
    assert "All 3 stored file(s) match" in out.getvalue()

    s3 = buckets.client()
    s3.put_object(Bucket=PRIVATE_BUCKET, Key=changed.stored_name, Body=b"%PDF-1.7 replaced")
    s3.delete_object(Bucket=PRIVATE_BUCKET, Key=missing.stored_name)
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify_documents", stdout=StringIO(), stderr=err)

    assert "2 of 3" in str(failed.value)
    assert f"CHANGED {changed.stored_name}" in err.getvalue()
    assert f"MISSING {missing.stored_name}" in err.getvalue()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")
