"""Peak memory and CPU of one worker checking a decompression-bomb upload.

Each case runs in a fresh process (as a gunicorn worker would hold it): the file
goes through ``inspect_upload`` and, if accepted, ``sanitized_image`` — the whole
decode path of an agent's upload. Prints the process's peak RSS before and after
and the CPU seconds spent. Run: ``.venv/bin/python benchmarks/upload_bomb.py``.
"""

import os
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import io, resource, sys, time
import django
django.setup()
from compliance.filecheck import UploadRejected, inspect_upload, sanitized_image
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
try:
    inspected = inspect_upload(io.BytesIO(data), max_bytes=10 * 1024 * 1024)
    sanitized_image(io.BytesIO(data), inspected.kind)
    outcome = "accepted"
except UploadRejected as exc:
    outcome = "refused: " + exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{before / 1024:.0f} {after / 1024:.0f} {time.process_time() - cpu:.2f} {outcome}")
"""


def png(width: int, height: int, color_type: int, bands: int) -> bytes:
    """A valid PNG of one colour: tiny on disk, width × height × bands bytes decoded."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload).to_bytes(4, "big")
        return len(payload).to_bytes(4, "big") + kind + payload + crc

    row = b"\x00" + b"\x00" * (width * bands)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, color_type, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reseller.settings", "DEBUG": "on"}
    cases = {
        "8000x8000 RGBA PNG": png(8000, 8000, 6, 4),
        "5000x5000 RGB PNG": png(5000, 5000, 2, 3),
        "2480x3508 RGB PNG (A4 at 300 dpi)": png(2480, 3508, 2, 3),
    }
    print(f"{'file':36} {'size':>8} {'RSS before':>11} {'peak RSS':>9} {'CPU s':>6}  outcome")
    for name, data in cases.items():
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", CHILD],
            input=data,
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        before, after, cpu, outcome = result.stdout.decode().split(" ", 3)
        size = f"{len(data) / 1024:.0f} KB"
        row = f"{name:36} {size:>8} {before + ' MB':>11} {after + ' MB':>9} {cpu:>6}"
        print(f"{row}  {outcome.strip()}")


if __name__ == "__main__":
    main()
