"""Uploads through the real view: what is kept, what is refused, and that a refusal
leaves nothing behind."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from compliance.models import Document, DocumentStatus, SubscriberStatus
from tests.compliance.factories import jpeg_bytes, pdf_bytes, png_bytes
from tests.compliance.test_filecheck import (
    TEN_MB,
    noisy_jpeg,
    pdf_with_object_stream,
    pixel_flood_png,
    png_padded_to,
    simple_pdf,
)

pytestmark = pytest.mark.django_db


def upload(client, subscriber, name, data, kind="business_licence", **extra):
    url = reverse("agent:document-upload", args=[subscriber.pk])
    payload = {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}
    return client.post(url, payload)


def stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def logged_in(client, agent_a):
    client.force_login(agent_a)
    return client


@pytest.mark.parametrize(
    ("name", "data", "file_type"),
    [
        ("licence.jpg", jpeg_bytes(), "jpeg"),
        ("licence.png", png_bytes(), "png"),
        ("licence.pdf", pdf_bytes(), "pdf"),
    ],
)
def test_valid_file_is_kept_privately_with_its_facts(
    logged_in, settings, subscriber_a, agent_a, name, data, file_type
):
    response = upload(logged_in, subscriber_a, name, data)

    assert response.status_code == 302
    assert response["Location"] == subscriber_a.get_absolute_url()
    document = Document.objects.get()
    assert document.status == DocumentStatus.PENDING
    assert (document.file_type, document.size) == (file_type, len(data))
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.original_name == name
    assert document.uploaded_by == agent_a
    assert document.uploaded_ip == "127.0.0.1"
    original = settings.PRIVATE_MEDIA_ROOT / document.stored_name
    assert original.read_bytes() == data
    assert name not in document.stored_name  # the stored name is random, never the sender's
    assert not str(original.resolve()).startswith(str(settings.MEDIA_ROOT.resolve()))


def test_image_gets_a_metadata_free_copy_for_display(logged_in, settings, subscriber_a):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    picture = io.BytesIO()
    Image.new("RGB", (50, 40), "red").save(picture, "JPEG", exif=exif)

    upload(logged_in, subscriber_a, "id.jpg", picture.getvalue(), kind="legal_rep_id_front")

    document = Document.objects.get()
    copy = (settings.PRIVATE_MEDIA_ROOT / document.display_name).read_bytes()
    assert b"SpyCam" not in copy
    assert b"SpyCam" in (settings.PRIVATE_MEDIA_ROOT / document.stored_name).read_bytes()
    assert hashlib.sha256(copy).hexdigest() == document.display_sha256


def zip_named_pdf() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("licence.pdf", b"%PDF-1.4")
    return archive.getvalue()


def tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "TIFF")
    return out.getvalue()


JS_OPEN_ACTION = simple_pdf(
    catalog_extra=b"/OpenAction 4 0 R",
    extra=[b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"],
)
JS_IN_OBJECT_STREAM = pdf_with_object_stream(
    [b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"], catalog_extra=b"/OpenAction 4 0 R"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'

REFUSED = [
    ("png-header-then-html", "x.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    ("pixel-flood", "flood.png", pixel_flood_png(100_000, 100_000)),
    ("svg-with-script", "licence.svg", SVG),
    ("svg-named-jpg", "licence.jpg", SVG),
    ("pdf-javascript-open-action", "a.pdf", JS_OPEN_ACTION),
    ("pdf-javascript-in-object-stream", "a.pdf", JS_IN_OBJECT_STREAM),
    ("html-named-jpg", "licence.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("zip-named-pdf", "licence.pdf", zip_named_pdf()),
    ("tiff", "scan.tiff", tiff()),
    ("empty", "empty.jpg", b""),
    ("truncated-jpeg", "cut.jpg", noisy_jpeg()[:3000]),
    ("ten-mb-and-one-byte", "big.png", png_padded_to(TEN_MB + 1)),
]


@pytest.mark.parametrize(("name", "data"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused_upload_says_why_and_leaves_no_file_and_no_row(
    logged_in, settings, subscriber_a, name, data
):
    response = upload(logged_in, subscriber_a, name, data)

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert str(response.context["form"].errors["file"][0]) in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_refusal_reason_is_in_the_agents_language(logged_in, subscriber_a):
    url = reverse("agent:document-upload", args=[subscriber_a.pk])
    payload = {"kind": "business_licence", "file": SimpleUploadedFile("x.jpg", SVG)}
    chinese = upload(logged_in, subscriber_a, "x.jpg", SVG).content.decode()
    english = logged_in.post("/en" + url, payload).content.decode()

    assert "只接受 JPEG、PNG 或 PDF 文件；此文件是SVG 矢量图。" in chinese
    assert "Only JPEG, PNG or PDF files are accepted; this file is an SVG drawing." in english


@pytest.mark.parametrize("name", ["../../x.jpg", "a.jpg.php", "n" * 296 + ".jpg"])
def test_hostile_names_are_never_used_for_storage(logged_in, settings, subscriber_a, name):
    response = upload(logged_in, subscriber_a, name, jpeg_bytes())

    assert response.status_code == 302
    document = Document.objects.get()
    stored = [p.name for p in stored_files(settings)]
    assert all(p.endswith(".jpg") and ".php" not in p and len(p) == 36 for p in stored)
    assert "/" not in document.original_name and len(document.original_name) <= 120
    assert not (settings.PRIVATE_MEDIA_ROOT.parent / "x.jpg").exists()


def test_new_upload_of_a_kind_replaces_the_one_waiting(logged_in, subscriber_a):
    upload(logged_in, subscriber_a, "one.jpg", jpeg_bytes())
    upload(logged_in, subscriber_a, "two.jpg", jpeg_bytes(color="red"))

    first, second = Document.objects.order_by("pk")
    assert first.status == DocumentStatus.SUPERSEDED
    assert first.superseded_by == second
    assert second.status == DocumentStatus.PENDING


def test_upload_to_another_agents_subscriber_is_404_and_keeps_nothing(
    logged_in, settings, subscriber_b
):
    response = upload(logged_in, subscriber_b, "a.jpg", jpeg_bytes())

    assert response.status_code == 404
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_expired_valid_until_is_refused(logged_in, subscriber_a):
    response = upload(logged_in, subscriber_a, "a.jpg", jpeg_bytes(), valid_until="2001-01-01")

    assert response.status_code == 400
    assert "valid_until" in response.context["form"].errors
    assert Document.objects.count() == 0


def test_unknown_kind_is_refused(logged_in, subscriber_a):
    response = upload(logged_in, subscriber_a, "a.jpg", jpeg_bytes(), kind="passport")

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_upload_moves_the_subscriber_from_missing_to_waiting(logged_in, subscriber_a):
    for kind in ["business_licence", "legal_rep_id_front", "legal_rep_id_back"]:
        upload(logged_in, subscriber_a, "a.jpg", jpeg_bytes(), kind=kind)
    subscriber_a.refresh_from_db()
    assert subscriber_a.status == SubscriberStatus.INCOMPLETE

    upload(logged_in, subscriber_a, "a.pdf", pdf_bytes(), kind="supplementary_agreement")

    subscriber_a.refresh_from_db()
    assert subscriber_a.status == SubscriberStatus.IN_REVIEW


def test_oversized_upload_is_cut_off_while_it_streams_in(logged_in, settings, subscriber_a):
    settings.FILE_UPLOAD_TEMP_DIR = settings.PRIVATE_MEDIA_ROOT.parent / "spool"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    data = b"\xff\xd8\xff" + bytes(TEN_MB * 3)

    response = upload(logged_in, subscriber_a, "huge.jpg", data)

    assert response.status_code == 400
    assert "文件超过 10 MB，请上传较小的文件。" in response.content.decode()
    assert list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) == []
    assert Document.objects.count() == 0


def test_upload_without_a_csrf_token_is_refused(agent_a, subscriber_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent_a)

    response = upload(strict, subscriber_a, "a.jpg", jpeg_bytes())

    assert response.status_code == 403
    assert Document.objects.count() == 0
