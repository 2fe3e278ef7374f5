"""Decode and re-encode one uploaded image in a process of its own, with limits.

Run by ``compliance.filecheck`` as ``python -I imagework.py KIND MAX_PIXELS
MEMORY_BYTES CPU_SECONDS`` with the image on stdin; writes the clean copy (upright,
pixels only, no metadata) to stdout. The process caps its own address space and CPU
time and lowers its priority before reading a byte, so the worst image an agent can
send costs one short-lived process at most that much, and the web worker that asked
keeps its memory and its other threads keep serving visitors.

Exit status: 0 done; otherwise the last line on stderr names the refusal (``bomb``,
``truncated``, ``corrupt``); any other failure (the memory cap reached, killed at
the CPU cap) means the image costs too much to check. Imports Pillow only, so it
starts in a few tens of milliseconds.
"""

import os
import resource
import sys
import warnings
from io import BytesIO

FORMATS = {"jpeg": "JPEG", "png": "PNG"}


def clean_copy(data: bytes, kind: str, max_pixels: int) -> bytes:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(BytesIO(data), formats=[FORMATS[kind]]) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    if kind == "jpeg" and upright.mode not in ("L", "RGB"):
        upright = upright.convert("RGB")
    elif kind == "png" and upright.mode not in ("1", "L", "LA", "RGB", "RGBA", "I;16"):
        upright = upright.convert("RGBA")
    # A fresh image carries pixels only: no EXIF, ICC profile, text chunk or comment.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    del upright
    out = BytesIO()
    if kind == "jpeg":
        clean.save(out, "JPEG", quality=85)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def main(kind: str, max_pixels: str, memory_bytes: str, cpu_seconds: str) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_bytes), int(memory_bytes)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds)))
    os.nice(10)
    data = sys.stdin.buffer.read()
    from PIL import Image

    try:
        copy = clean_copy(data, kind, int(max_pixels))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        print("bomb", file=sys.stderr)
        return 2
    except MemoryError:
        print("costly", file=sys.stderr)
        return 2
    except Exception as exc:  # any decoder failure means unusable image data
        print("truncated" if "truncated" in str(exc) else "corrupt", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(copy)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
