"""What may be attached to an article, judged by content and not by name."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from news.uploads import OLE2_MAGIC, inspect_attachment, inspect_cover
from tests.news.factories import PDF_BYTES, office_zip_bytes, png_bytes, upload


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "label", "content_type"),
    [
        ("协议.pdf", PDF_BYTES, "PDF", "application/pdf"),
        ("协议.DOCX", office_zip_bytes("word/document.xml"), "Word", "wordprocessingml"),
        ("价目表.xlsx", office_zip_bytes("xl/workbook.xml"), "Excel", "spreadsheetml"),
        ("旧协议.doc", OLE2_MAGIC + b"\x00" * 512, "Word", "application/msword"),
        ("旧价目表.xls", OLE2_MAGIC + b"\x00" * 512, "Excel", "application/vnd.ms-excel"),
        ("资料包.zip", office_zip_bytes("readme.txt"), "ZIP", "application/zip"),
        ("营业厅.png", png_bytes(), "PNG", "image/png"),
        ("营业厅.jpeg", jpeg_bytes(), "JPEG", "image/jpeg"),
    ],
)
def test_allowed_files_are_accepted_with_their_real_type(name, content, label, content_type):
    file_type = inspect_attachment(upload(name, content))

    assert file_type.label == label
    assert content_type in file_type.content_type


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notice.pdf", b"<script>alert(1)</script>", "mismatch"),
        ("agreement.docx", office_zip_bytes("readme.txt"), "mismatch"),
        ("agreement.docx", PDF_BYTES, "mismatch"),
        ("photo.png", b"\x89PNG\r\n\x1a\n broken", "mismatch"),
        ("drawing.svg", b"<svg onload=alert(1)></svg>", "extension"),
        ("setup.exe", b"MZ", "extension"),
        ("noextension", PDF_BYTES, "extension"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_other_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as refused:
        inspect_attachment(upload(name, content))

    assert refused.value.code == code


def test_files_over_the_limit_are_refused(settings):
    settings.NEWS_ATTACHMENT_MAX_MB = 1
    settings.NEWS_COVER_MAX_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as attachment:
        inspect_attachment(upload("big.pdf", big))
    with pytest.raises(ValidationError) as cover:
        inspect_cover(upload("big.png", png_bytes() + b"0" * (1024 * 1024)))

    assert attachment.value.code == cover.value.code == "too_large"


def test_cover_must_be_a_whole_image_of_a_web_format():
    assert inspect_cover(upload("c.jpg", jpeg_bytes())).label == "JPEG"
    with pytest.raises(ValidationError):
        inspect_cover(upload("c.png", png_bytes()[:40]))
    with pytest.raises(ValidationError):
        inspect_cover(upload("c.pdf", PDF_BYTES))
