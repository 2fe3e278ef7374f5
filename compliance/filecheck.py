"""Decide whether an uploaded verification document is safe to keep.

Agents upload business-licence scans, ID-card scans and signed agreements, and
staff open them in a browser or a PDF viewer. An upload is therefore treated as
hostile: its name and Content-Type are chosen by the sender and ignored here.
The threats are files that are something else than they claim (HTML or SVG
that runs script, archives, polyglots), files built to exhaust the server
(oversized files, decompression bombs, pixel floods), PDFs that act when opened
(JavaScript, launch and form-submission actions, attachments, rich media, XFA),
and files a reviewer cannot read (encrypted, truncated or damaged ones).

A file is kept only if its first bytes name JPEG, PNG or PDF *and* a real
parser accepts the whole of it. Every refusal is an ``UploadRejected`` with a
stable ``code`` for programs and a translatable ``message`` for people.
"""

import base64
import binascii
import hashlib
import re
import socket
import subprocess
import sys
import threading
import unicodedata
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

Kind = Literal["jpeg", "png", "pdf"]

_CHUNK_SIZE = 64 * 1024
_PDF_EOF_WINDOW = 1024
# Budget for inflating object streams found in the raw bytes, all streams together.
_MAX_OBJECT_STREAM_BYTES = 64 * 1024 * 1024
_DISPLAY_NAME_LENGTH = 120
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# A licence photographed by a 24-megapixel camera fits; an 8000 × 8000 RGBA canvas
# (256 MB decoded from a 259 KB file) does not. Callers lower it for small documents.
DEFAULT_MAX_PIXELS = 25_000_000
# Pixels are decoded in a process of their own (compliance/imagework.py) capped at
# these, so no image costs a web worker memory. A 25-megapixel RGBA scan peaks at
# about 300 MB there (benchmarks/upload_bomb.py); the cap leaves room above that.
_DECODE_MEMORY_BYTES = 512 * 1024 * 1024
_DECODE_CPU_SECONDS = 20
_DECODE_SCRIPT = Path(__file__).with_name("imagework.py")
# One decoding process at a time per worker: its threads queue for it, so eight
# parallel uploads cost the machine two decodes, not sixteen.
_DECODE_SLOT = threading.BoundedSemaphore(1)
# The anti-malware test file (EICAR), split so that no scanner flags this source file.
_EICAR_MARK = b"EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE"
_CLAMD_TIMEOUT = 10


class _Format(NamedTuple):
    magic: bytes
    content_type: str
    extension: str
    label: str


_FORMATS: dict[Kind, _Format] = {
    "jpeg": _Format(b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
    "png": _Format(b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
    "pdf": _Format(b"%PDF-", "application/pdf", ".pdf", "PDF"),
}

# Names that make a PDF act on its own (or carry another file), mapped to the
# refusal code and the words the user is shown. Matched as keys and as values,
# so an /OpenAction or /AA running one of these action types is caught too.
_PDF_ACTIVE = "pdf_active_content"
_PDF_EMBEDDED = "pdf_embedded_file"
_FORBIDDEN_PDF_NAMES: dict[str, tuple[str, Any]] = {
    "JavaScript": (_PDF_ACTIVE, _("JavaScript")),
    "JS": (_PDF_ACTIVE, _("JavaScript")),
    "Launch": (_PDF_ACTIVE, _("an action that starts another program")),
    "ImportData": (_PDF_ACTIVE, _("an action that imports form data")),
    "SubmitForm": (_PDF_ACTIVE, _("an action that sends form data elsewhere")),
    # Opening another file can leak the reader's network credentials (UNC paths).
    "GoToR": (_PDF_ACTIVE, _("an action that opens another file")),
    "GoToE": (_PDF_ACTIVE, _("an action that opens another file")),
    "RichMedia": (_PDF_ACTIVE, _("embedded audio, video or Flash content")),
    "XFA": (_PDF_ACTIVE, _("an XFA form")),
    "EmbeddedFiles": (_PDF_EMBEDDED, _("an attached file")),
    "EmbeddedFile": (_PDF_EMBEDDED, _("an attached file")),
    "FileAttachment": (_PDF_EMBEDDED, _("an attached file")),
}
_OPEN_URI = "OpenURI"
_FORBIDDEN_PDF_NAMES[_OPEN_URI] = (_PDF_ACTIVE, _("a web link that opens by itself"))
_PDF_OPEN_URI = re.compile(rb"/(?:OpenAction|AA)\s*<<[^<>]*/S\s*/URI\b", re.DOTALL)

# A PDF name token in raw syntax: a slash, then regular characters (PDF 32000-1, 7.2.2).
_PDF_NAME_TOKEN = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_BODY = re.compile(rb"\bstream\r?\n.*?\bendstream", re.DOTALL)
_PDF_STREAM_HEAD = re.compile(rb"\bobj\b(.{0,4096}?)\bstream\r?\n", re.DOTALL)


class UploadRejected(Exception):
    """An upload that will not be kept.

    ``message`` is a lazy translatable string, interpolated with ``params`` when
    rendered (the shape of Django's ``ValidationError``, so a form can re-raise it
    as ``ValidationError(exc.message, code=exc.code, params=exc.params)``).
    """

    def __init__(self, code: str, message: Any, params: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params or {}

    def __str__(self) -> str:
        return str(self.message % self.params) if self.params else str(self.message)


@dataclass(frozen=True)
class InspectedFile:
    """What the content of an accepted upload turned out to be."""

    kind: Kind
    content_type: str
    extension: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    # An image's clean copy (upright, pixels only), made by the same decode that
    # proved the image whole.
    sanitized: bytes | None = field(default=None, repr=False, compare=False)


def inspect_upload(
    fileobj: IO[bytes],
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_side: int = 8000,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    clamd_socket: str = "",
) -> InspectedFile:
    """Accept a JPEG, PNG or PDF judged by its content alone, or raise ``UploadRejected``.

    At most ``max_bytes + 1`` bytes are read; the file is left at position 0. With
    ``clamd_socket`` (a Unix socket path) the bytes are also scanned by ClamAV's daemon.
    """
    try:
        data = _read_at_most(fileobj, max_bytes + 1)
    finally:
        fileobj.seek(0)
    if not data:
        raise UploadRejected("empty", _("The file is empty."))
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    kind = _sniff_kind(data)
    fmt = _FORMATS[kind]
    _check_malware(data, clamd_socket)
    width = height = pages = sanitized = None
    if kind == "pdf":
        pages = _check_pdf(data)
    else:
        width, height = _check_image(data, kind, max_side, max_pixels)
        sanitized = _decoded_clean_copy(data, kind, max_pixels)
    return InspectedFile(
        kind=kind,
        content_type=fmt.content_type,
        extension=fmt.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
        pages=pages,
        sanitized=sanitized,
    )


def too_large(max_bytes: int) -> UploadRejected:
    """The refusal of a file over ``max_bytes``; also raised while the upload streams in."""
    return UploadRejected(
        "too_large",
        _("The file is larger than %(limit)s MB; please upload a smaller one."),
        {"limit": f"{max_bytes / (1024 * 1024):g}"},
    )


def sanitized_image(fileobj: IO[bytes], kind: str) -> bytes:
    """Re-encode an inspected JPEG or PNG upright and without any metadata."""
    if kind not in ("jpeg", "png"):
        raise ValueError(f"Only JPEG and PNG images can be sanitized, not {kind!r}.")
    fileobj.seek(0)
    return _decoded_clean_copy(fileobj.read(), kind, DEFAULT_MAX_PIXELS)


def _decoded_clean_copy(data: bytes, kind: str, max_pixels: int) -> bytes:
    """Decode every pixel (proving the image whole) and re-encode it, in a process
    capped in memory and CPU time (compliance/imagework.py); refusals as usual."""
    command = [sys.executable, "-I", str(_DECODE_SCRIPT), kind, str(max_pixels)]
    command += [str(_DECODE_MEMORY_BYTES), str(_DECODE_CPU_SECONDS)]
    try:
        with _DECODE_SLOT:
            done = subprocess.run(  # noqa: S603 - our interpreter, our script, no shell
                command, input=data, capture_output=True, timeout=_DECODE_CPU_SECONDS * 2
            )
    except subprocess.TimeoutExpired as exc:
        raise _too_costly() from exc
    if done.returncode == 0:
        return done.stdout
    verdict = done.stderr.decode(errors="replace").strip().rsplit("\n", 1)[-1]
    if verdict == "bomb":
        raise _too_many_pixels()
    if verdict == "truncated":
        raise _truncated()
    if verdict == "corrupt":
        raise _corrupt(kind)
    raise _too_costly()


def _too_costly() -> UploadRejected:
    return UploadRejected(
        "too_costly",
        _(
            "The image takes too much memory to check; please scan it at a lower "
            "resolution (300 dpi is plenty) and upload it again."
        ),
    )


def safe_display_name(name: str) -> str:
    """Reduce a client-supplied file name to something safe to show (never to store)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C")).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or not suffix.isalnum() or len(suffix) > 10:
        stem, suffix = base, ""
    extension = f".{suffix}" if suffix else ""
    stem = stem.strip(" .") or "document"
    return stem[: _DISPLAY_NAME_LENGTH - len(extension)] + extension


def _read_at_most(fileobj: IO[bytes], limit: int) -> bytes:
    """Read from the start of ``fileobj`` in chunks, stopping after ``limit`` bytes."""
    fileobj.seek(0)
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = fileobj.read(min(_CHUNK_SIZE, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _sniff_kind(data: bytes) -> Kind:
    """Name the accepted format the file's first bytes announce, or refuse it."""
    for kind, fmt in _FORMATS.items():
        if data.startswith(fmt.magic):
            return kind
    raise UploadRejected(
        "unsupported_type",
        _("Only JPEG, PNG or PDF files are accepted; this file is %(kind)s."),
        {"kind": _describe_other(data)},
    )


def _describe_other(data: bytes) -> Any:
    """Say in plain words what an unaccepted file seems to be."""
    head = data[:512]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WebP image")
    if head[4:8] == b"ftyp":
        return _("a HEIC photo or a video")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _("a ZIP archive or an Office document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("an old-style Office document")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return _("an SVG drawing")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return _("a web page (HTML)")
    if text.startswith(b"<?xml"):
        return _("an XML file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("of a type we do not recognise")
    return _("a text file")


@contextmanager
def _bombs_as_errors() -> Iterator[None]:
    """Turn Pillow's decompression-bomb warning into an exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _too_many_pixels() -> UploadRejected:
    return UploadRejected("too_many_pixels", _("The image has too many pixels to open safely."))


def _corrupt(kind: Kind) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        _("The file claims to be a %(format)s but is damaged and cannot be opened."),
        {"format": _FORMATS[kind].label},
    )


def _truncated() -> UploadRejected:
    return UploadRejected(
        "truncated", _("The file is incomplete; the upload may have been cut off. Please retry.")
    )


def _check_malware(data: bytes, clamd_socket: str) -> None:
    """Refuse the anti-malware test file anywhere in the bytes, and what ClamAV finds."""
    found = "EICAR test file" if _EICAR_MARK in data else None
    if found is None and clamd_socket:
        found = clamd_finding(data, clamd_socket)
    if found:
        raise UploadRejected(
            "malware",
            _("The file was refused by the malware check (%(finding)s)."),
            {"finding": found},
        )


def clamd_finding(data: bytes, socket_path: str) -> str | None:
    """What ClamAV's daemon finds in ``data`` (INSTREAM over its Unix socket), or None.

    A daemon that does not answer refuses the upload: an unscanned file is not kept
    where scanning is configured.
    """
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(_CLAMD_TIMEOUT)
            conn.connect(socket_path)
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), _CHUNK_SIZE):
                chunk = data[start : start + _CHUNK_SIZE]
                conn.sendall(len(chunk).to_bytes(4, "big") + chunk)
            conn.sendall(b"\0\0\0\0")
            reply = b""
            while not reply.endswith(b"\0"):
                part = conn.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as exc:
        raise UploadRejected(
            "scan_unavailable",
            _("The malware check is not available right now; please try again later."),
        ) from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("FOUND"):
        return answer.split(":", 1)[-1].removesuffix("FOUND").strip()
    if not answer.endswith("OK"):
        raise UploadRejected(
            "scan_unavailable",
            _("The malware check is not available right now; please try again later."),
        )
    return None


def _check_image(data: bytes, kind: Kind, max_side: int, max_pixels: int) -> tuple[int, int]:
    """Check an image's header dimensions and its ending; no pixel is decoded here.

    Everything the header tells (sides, pixel count) is checked before any pixel is
    decoded, so a small file claiming a huge canvas costs no memory; the full decode
    runs after, out of process (``_decoded_clean_copy``).
    """
    with _bombs_as_errors():
        try:
            image = Image.open(BytesIO(data), formats=[_FORMATS[kind].label])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # Pillow reports malformed headers with many exception types
            raise _corrupt(kind) from exc
        with image:
            width, height = image.size
            if width > max_side or height > max_side:
                raise UploadRejected(
                    "too_many_pixels",
                    _(
                        "The image is %(width)s × %(height)s pixels; "
                        "at most %(limit)s pixels on each side are accepted."
                    ),
                    {"width": width, "height": height, "limit": max_side},
                )
            if width * height > max_pixels:
                raise UploadRejected(
                    "too_many_pixels",
                    _(
                        "The image is %(width)s × %(height)s pixels; for this document at "
                        "most %(megapixels)s megapixels are accepted. Please scan it at a "
                        "lower resolution (300 dpi is plenty)."
                    ),
                    {"width": width, "height": height, "megapixels": f"{max_pixels / 1e6:g}"},
                )
            _check_image_ending(data, kind)
    return width, height


def _check_image_ending(data: bytes, kind: Kind) -> None:
    """Refuse a cut-off image, or one with data smuggled after its end."""
    if kind == "jpeg":
        end = _jpeg_end(data)
        if end is None:
            raise _truncated()
        # Some cameras pad with zero bytes; anything else after the end is a payload.
        if data[end:].strip(b"\x00"):
            raise _trailing_data()
    if kind == "png" and not data.endswith(_PNG_IEND):
        if _PNG_IEND not in data:
            raise _truncated()
        raise _trailing_data()


def _trailing_data() -> UploadRejected:
    # "corrupt", the code PNGs with a payload after their end were always refused with.
    return UploadRejected("corrupt", _("The file has unexpected data after the end of the image."))


def _jpeg_end(data: bytes) -> int | None:
    """Walk the JPEG segments to the scan; return where the end-of-image marker ends."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
        elif marker == 0xDA:  # start of scan: entropy-coded data never contains FF D9
            end = data.find(b"\xff\xd9", pos)
            return None if end == -1 else end + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return None


def _check_pdf(data: bytes) -> int:
    """Parse a PDF, refuse it if encrypted, empty or active; return its page count."""
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise _truncated()
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
        found = set() if encrypted else _forbidden_pdf_names(reader, data)
    except Exception as exc:  # pypdf reports malformed files with many exception types
        raise _corrupt("pdf") from exc
    if encrypted:
        raise UploadRejected(
            "pdf_encrypted",
            _(
                "This PDF is password-protected or encrypted, so reviewers cannot open it. "
                "Please upload a copy without a password."
            ),
        )
    if pages < 1:
        raise UploadRejected("pdf_no_pages", _("This PDF has no pages."))
    if found:
        # Active content is the graver finding, so it is the one reported.
        name = min(found, key=lambda n: (_FORBIDDEN_PDF_NAMES[n][0] != _PDF_ACTIVE, n))
        code, feature = _FORBIDDEN_PDF_NAMES[name]
        raise UploadRejected(
            code,
            _(
                "This PDF contains %(feature)s, which is not accepted for safety reasons. "
                "Please print it to a new PDF or scan the paper document, and upload that."
            ),
            {"feature": feature},
        )
    return pages


def _forbidden_pdf_names(reader: PdfReader, data: bytes) -> set[str]:
    """Collect the forbidden names found anywhere in the PDF, through three views."""
    names = {
        *_names_in_listed_objects(reader),
        *_names_in_object_streams(reader, data),
        *_names_outside_streams(data),
    }
    found = {key for name in names if (key := _forbidden_key(name))}
    if _opens_a_link_by_itself(reader, data):
        found.add(_OPEN_URI)
    return found


def _opens_a_link_by_itself(reader: PdfReader, data: bytes) -> bool:
    """Whether opening the PDF (or a page) follows a URI without the reader clicking."""
    triggers = [reader.trailer["/Root"].get_object()]
    triggers.extend(page.get_object() for page in reader.pages)
    for holder in triggers:
        actions = [holder.get("/OpenAction")]
        additional = holder.get("/AA")
        if additional is not None:
            actions.extend(additional.get_object().values())
        for action in actions:
            action = action.get_object() if action is not None else None
            if isinstance(action, DictionaryObject) and action.get("/S") == "/URI":
                return True
    # An /OpenAction written inline in an object the xref leaves out.
    raw = [data, *_raw_object_streams(data)]
    return any(_PDF_OPEN_URI.search(part) for part in raw)


def _names_in_listed_objects(reader: PdfReader) -> Iterator[str]:
    """Yield the names of every object the xref lists, compressed ones included."""
    for generation, entries in reader.xref.items():
        for idnum in entries:
            yield from _names_in(reader.get_object(IndirectObject(idnum, generation, reader)))
    for idnum in reader.xref_objStm:
        yield from _names_in(reader.get_object(IndirectObject(idnum, 0, reader)))


def _names_in_object_streams(reader: PdfReader, data: bytes) -> Iterator[str]:
    """Yield the names inside every object stream, decompressed.

    This sees objects an object stream holds but the xref leaves out, which a
    viewer repairing the file may still pick up.
    """
    for number in {stream for stream, _index in reader.xref_objStm.values()}:
        yield from _raw_names(reader.get_object(number).get_data())
    for content in _raw_object_streams(data):
        yield from _raw_names(content)


def _names_outside_streams(data: bytes) -> set[str]:
    """Return the names in the raw file outside stream bodies, listed in the xref or not."""
    return _raw_names(_PDF_STREAM_BODY.sub(b"stream endstream", data))


def _forbidden_key(name: str) -> str | None:
    """Map a PDF name (without slash) to its entry in the forbidden table, if any."""
    if name.startswith("RichMedia"):
        return "RichMedia"
    return name if name in _FORBIDDEN_PDF_NAMES else None


def _names_in(obj: Any) -> Iterator[str]:
    """Yield the names (keys and values) of one object and its direct children."""
    pending = [obj]
    while pending:
        item = pending.pop()
        if isinstance(item, DictionaryObject):
            yield from (str(key)[1:] for key in item)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
        elif isinstance(item, NameObject):
            yield str(item)[1:]


def _raw_names(syntax: bytes) -> set[str]:
    """Return the PDF names in raw PDF syntax, with #xx escapes decoded."""
    decoded = (
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw)
        for raw in _PDF_NAME_TOKEN.findall(syntax)
    )
    return {name.decode("latin-1") for name in decoded}


_STREAM_FILTERS = {"FlateDecode", "Fl", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85"}


def _raw_object_streams(data: bytes) -> Iterator[bytes]:
    """Yield the decoded content of every object stream in the raw file, listed or not.

    Flate, ASCIIHex and ASCII85 (the filters an object stream can carry alone or
    chained) are undone in the order the header names them. Raises ``ValueError``
    when the streams decode beyond the budget (a compression bomb).
    """
    budget = _MAX_OBJECT_STREAM_BYTES
    for match in _PDF_STREAM_HEAD.finditer(data):
        header = _PDF_NAME_TOKEN.findall(match[1])
        names = [
            _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), n).decode("latin-1")
            for n in header
        ]
        if "ObjStm" not in names:
            continue
        filters = [name for name in names if name in _STREAM_FILTERS]
        end = data.find(b"endstream", match.end())
        content = data[match.end() : end if end != -1 else len(data)]
        for name in filters:
            if budget <= 0:  # zlib reads a max_length of 0 as "no limit"
                raise ValueError("Object streams inflate beyond the budget.")
            try:
                content = _undo_filter(name, content, budget)
            except (zlib.error, ValueError, binascii.Error):
                if name in ("FlateDecode", "Fl"):
                    raise
                break
        budget -= len(content)
        yield content


def _undo_filter(name: str, content: bytes, budget: int) -> bytes:
    if name in ("ASCIIHexDecode", "AHx"):
        digits = re.sub(rb"\s", b"", content.split(b">", 1)[0])
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    if name in ("ASCII85Decode", "A85"):
        text = re.sub(rb"\s", b"", content.split(b"~>", 1)[0]).removeprefix(b"<~")
        return base64.a85decode(text)
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(content, budget)
    except zlib.error:
        return b""  # not our business to repair: pypdf judges the file as a whole
    if inflater.unconsumed_tail:
        raise ValueError("Object streams inflate beyond the budget.")
    return inflated
