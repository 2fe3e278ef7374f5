"""Private file storage for verification documents.

Files live under PRIVATE_MEDIA_ROOT, which no URL maps to: the only way out is
the permission-checking document view. Names are random (never derived from
what the uploader sent), files are created exclusively and never overwritten,
and every write is flushed to disk before the database row that names it is
committed.
"""

import hashlib
import os
import secrets
from pathlib import Path
from typing import IO

from django.conf import settings

_CHUNK_SIZE = 64 * 1024


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
    path_of(name).unlink(missing_ok=True)


def open_file(name: str) -> IO[bytes]:
    return path_of(name).open("rb")


def sha256_of(name: str) -> str:
    digest = hashlib.sha256()
    with open_file(name) as stored:
        while chunk := stored.read(_CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
