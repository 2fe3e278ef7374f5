"""Private file storage for verification documents.

Files live under PRIVATE_MEDIA_ROOT, or in the private bucket when S3_PRIVATE_BUCKET
is set; no URL maps to either: the only way out is the permission-checking document
view. Names are random (never derived from what the uploader sent), files are never
overwritten, and every write is complete (on disk: flushed; in the bucket: acknowledged)
before the database row that names it is committed.
"""

import hashlib
import os
import secrets
from pathlib import Path
from typing import IO

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

_CHUNK_SIZE = 64 * 1024


def in_bucket() -> bool:
    return bool(settings.S3_PRIVATE_BUCKET)


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def path_of(name: str) -> Path:
    """The absolute path of a stored name, refusing anything that leaves the root."""
    base = root().resolve()
    path = (base / name).resolve()
    if base not in path.parents:
        raise ValueError(f"{name!r} is not inside the private media root.")
    return path


def save(data: bytes, extension: str) -> str:
    """Write ``data`` under a fresh random name; return that name, relative to the root."""
    token = secrets.token_hex(16)
    name = f"{token[:2]}/{token}{extension}"
    if in_bucket():
        return storages["private"].save(name, ContentFile(data))
    path = path_of(name)
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name


def discard(name: str) -> None:
    """Remove a file whose database row was never committed (an aborted upload)."""
    if in_bucket():
        storages["private"].delete(name)
    else:
        path_of(name).unlink(missing_ok=True)


def open_file(name: str) -> IO[bytes]:
    """The stored file for reading; FileNotFoundError when it is gone, wherever it lived."""
    if not in_bucket():
        return path_of(name).open("rb")
    try:
        return storages["private"].open(name, "rb")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            raise FileNotFoundError(name) from error
        raise


def sha256_of(name: str) -> str:
    digest = hashlib.sha256()
    with open_file(name) as stored:
        while chunk := stored.read(_CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
