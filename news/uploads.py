"""What staff may attach to an article or use as its cover, judged by content, not by name.

An attachment is offered to every visitor for download, so a file is kept only
when its extension is one we allow *and* its first bytes (and, for Office files,
its inner structure) agree with that extension: a renamed web page, script or
program is refused with a message that says what the file really is.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str


PDF = FileType("PDF", "application/pdf")
DOC = FileType("Word", "application/msword")
DOCX = FileType("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLS = FileType("Excel", "application/vnd.ms-excel")
XLSX = FileType("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ZIP = FileType("ZIP", "application/zip")
JPEG = FileType("JPEG", "image/jpeg")
PNG = FileType("PNG", "image/png")
GIF = FileType("GIF", "image/gif")
WEBP = FileType("WebP", "image/webp")

ATTACHMENT_TYPES = {
    "pdf": PDF, "doc": DOC, "docx": DOCX, "xls": XLS, "xlsx": XLSX, "zip": ZIP,
    "jpg": JPEG, "jpeg": JPEG, "png": PNG, "gif": GIF, "webp": WEBP,
}  # fmt: skip
IMAGE_FORMATS = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP}
# The member that makes a ZIP container a Word or Excel file.
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
COVER_MAX_PIXELS = 40_000_000


def inspect_attachment(upload: IO[bytes]) -> FileType:
    """Return the type of an allowed attachment, or raise ``ValidationError``."""
    _check_size(upload, settings.NEWS_ATTACHMENT_MAX_MB)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Attach a PDF, Word, Excel, ZIP or image file (JPEG, PNG, GIF, WebP)."),
            code="extension",
        )
    expected = ATTACHMENT_TYPES[extension]
    if _content_matches(upload, extension, expected):
        return expected
    raise ValidationError(
        _("The file is named .%(extension)s but its content is not a %(label)s file."),
        code="mismatch",
        params={"extension": extension, "label": expected.label},
    )


def inspect_cover(upload: IO[bytes]) -> FileType:
    """Return the type of an acceptable cover image, or raise ``ValidationError``."""
    _check_size(upload, settings.NEWS_COVER_MAX_MB)
    image_type = _image_type(upload)
    if image_type is None:
        raise ValidationError(
            _("The cover must be a JPEG, PNG, GIF or WebP image."), code="cover_type"
        )
    return image_type


def _check_size(upload: IO[bytes], limit_mb: int) -> None:
    size = upload.size
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit_mb * 1024 * 1024)},
        )


def _content_matches(upload: IO[bytes], extension: str, expected: FileType) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if expected is PDF:
        return head.startswith(b"%PDF-")
    if expected in (DOC, XLS):
        return head == OLE2_MAGIC
    if expected in (DOCX, XLSX, ZIP):
        if not head.startswith(ZIP_MAGIC):
            return False
        return expected is ZIP or _zip_has_member(upload, OFFICE_MAIN_PART[extension])
    return _image_type(upload) is expected


def _zip_has_member(upload: IO[bytes], member: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _image_type(upload: IO[bytes]) -> FileType | None:
    """The image's real format when Pillow can read all of it and it is not a pixel bomb."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(IMAGE_FORMATS)) as image:
            if image.width * image.height > COVER_MAX_PIXELS:
                return None
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS.get(image_format)
