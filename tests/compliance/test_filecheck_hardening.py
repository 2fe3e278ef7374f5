"""Uploads built to cost memory, to carry a payload, or to act when opened are refused."""

import binascii
import io
import os
import socket
import threading
import zlib

import pytest

from compliance.filecheck import inspect_upload
from tests.compliance.test_filecheck import (
    build_pdf,
    decoded,  # noqa: F401 - fixture
    image_bytes,
    page_tree,
    png_chunk,
    rejection,
    simple_pdf,
)

# The anti-malware test file, assembled here so that this source is not flagged itself.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"


def bomb_png(width, height, color_type=6, bands=4):
    """A valid one-colour PNG: a few hundred KB on disk, width × height × bands decoded."""
    row = b"\x00" * (1 + width * bands)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, color_type, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", body)
        + png_chunk(b"IEND", b"")
    )


# --- decompression amplification ------------------------------------------------------------


def test_a_small_png_that_decodes_to_256_mb_is_refused_before_decoding(decoded):  # noqa: F811
    data = bomb_png(8000, 8000)

    assert len(data) < 300 * 1024
    assert rejection(data).code == "too_many_pixels"
    assert decoded == []


def test_the_pixel_cap_is_lower_for_id_cards(decoded):  # noqa: F811
    photo = image_bytes("JPEG", (4000, 3500))  # 14 megapixels: fine for a licence

    assert inspect_upload(io.BytesIO(photo)).width == 4000
    assert rejection(photo, max_pixels=12_000_000).code == "too_many_pixels"


@pytest.mark.django_db
def test_an_id_card_upload_over_its_pixel_cap_gets_a_clear_message(client, agent_a, subscriber_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(agent_a)
    photo = image_bytes("JPEG", (4000, 3500))

    response = client.post(
        reverse("agent:document-upload", args=[subscriber_a.pk]),
        {"kind": "legal_rep_id_front", "file": SimpleUploadedFile("id.jpg", photo)},
    )

    assert response.status_code == 400
    assert "4000 × 3500" in response.content.decode()


# --- payloads after the image ---------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"<?php system($_GET['c']); ?>",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 26,
    ],
)
def test_a_jpeg_with_data_after_its_end_is_refused(payload):
    assert rejection(image_bytes("JPEG") + payload).code == "corrupt"


def test_a_jpeg_padded_with_zero_bytes_is_still_accepted():
    assert inspect_upload(io.BytesIO(image_bytes("JPEG") + b"\x00" * 16)).kind == "jpeg"


@pytest.mark.parametrize(
    "data",
    [
        image_bytes("JPEG") + EICAR,
        image_bytes("PNG")[:33] + png_chunk(b"tEXt", b"c\x00" + EICAR) + image_bytes("PNG")[33:],
        simple_pdf(
            page_extra=b"/Comment (" + EICAR.replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
        ),
    ],
    ids=["jpeg-trailer", "png-text-chunk", "pdf-string"],
)
def test_the_eicar_test_file_is_refused_wherever_it_hides(data):
    assert rejection(data).code == "malware"


# --- ClamAV, when configured ----------------------------------------------------------------


@pytest.fixture
def clamd(tmp_path):
    """A process speaking clamd's INSTREAM protocol on a Unix socket; finds 'BADBYTES'."""
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                assert conn.recv(10) == b"zINSTREAM\0"
                received = b""
                while True:
                    size = int.from_bytes(conn.recv(4, socket.MSG_WAITALL), "big")
                    if not size:
                        break
                    received += conn.recv(size, socket.MSG_WAITALL)
                verdict = (
                    b"stream: Test.Sig FOUND\0" if b"BADBYTES" in received else b"stream: OK\0"
                )
                conn.sendall(verdict)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    stop.set()
    server.close()
    os.unlink(path)


def test_with_clamd_configured_its_finding_refuses_the_upload(clamd):
    bad = simple_pdf(page_extra=b"/Comment (BADBYTES)")

    assert rejection(bad, clamd_socket=clamd).code == "malware"
    assert inspect_upload(io.BytesIO(simple_pdf()), clamd_socket=clamd).kind == "pdf"


def test_with_clamd_configured_but_down_the_upload_is_not_kept(tmp_path):
    assert rejection(simple_pdf(), clamd_socket=str(tmp_path / "none.sock")).code == (
        "scan_unavailable"
    )


# --- PDFs that act ---------------------------------------------------------------------------


def ascii_hex_object_stream(hidden: bytes, number: int) -> bytes:
    index = b"%d 0\n" % (number + 1)
    encoded = binascii.hexlify(index + hidden) + b">"
    head = b"<< /Type /ObjStm /N 1 /First %d /Filter /ASCIIHexDecode /Length %d >>" % (
        len(index),
        len(encoded),
    )
    return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, head, encoded)


def test_javascript_in_an_unlisted_ascii_hex_object_stream_is_refused():
    hidden = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    data = build_pdf(page_tree(), unlisted=ascii_hex_object_stream(hidden, 10))

    assert rejection(data).code == "pdf_active_content"


def test_javascript_behind_hex_then_flate_is_refused():
    hidden = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    index = b"11 0\n"
    packed = binascii.hexlify(zlib.compress(index + hidden)) + b">"
    stream = (
        b"10 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter [/ASCIIHexDecode /FlateDecode] "
        b"/Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(index), len(packed), packed)
    )

    assert rejection(build_pdf(page_tree(), unlisted=stream)).code == "pdf_active_content"


def test_a_pdf_that_opens_a_web_link_by_itself_is_refused():
    data = simple_pdf(catalog_extra=b"/OpenAction << /S /URI /URI (https://evil.example/) >>")

    assert rejection(data).code == "pdf_active_content"


def test_a_pdf_that_opens_a_link_through_an_indirect_action_is_refused():
    data = build_pdf(
        [
            *page_tree(catalog_extra=b"/OpenAction 4 0 R"),
            b"<< /S /URI /URI (https://evil.example/) >>",
        ]
    )

    assert rejection(data).code == "pdf_active_content"


def test_a_page_that_opens_a_link_when_shown_is_refused():
    data = simple_pdf(page_extra=b"/AA << /O << /S /URI /URI (https://evil.example/) >> >>")

    assert rejection(data).code == "pdf_active_content"


def test_a_clickable_link_on_a_page_is_still_accepted():
    action = b"<< /S /URI /URI (https://gov.example/) >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A %s >>" % action
    data = build_pdf([*page_tree(page_extra=b"/Annots [4 0 R]"), link])

    assert inspect_upload(io.BytesIO(data)).pages == 1
