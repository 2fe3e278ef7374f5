"""Peak memory and CPU of a worker checking decompression-bomb uploads.

1. Each case runs in a fresh process (as a gunicorn worker would hold it): the file
   goes through ``inspect_upload``, the whole check of an agent's upload, whose
   pixel decoding runs in a capped process of its own. Prints the worker's peak RSS
   before and after, the decoding process's peak and the CPU seconds of both.
2. ``--live``: the same files uploaded by the demo agent through the real upload
   page of gunicorn (2 workers × 4 threads, DEBUG off, on a fresh PostgreSQL
   database ``UPLOAD_BOMB_DATABASE_URL``), eight at once, while an anonymous visitor
   keeps asking for ``/healthz`` and the home page. Prints each worker's peak RSS
   (sampled from /proc every 20 ms) and the slowest anonymous answer during the storm.

Run: ``.venv/bin/python benchmarks/upload_bomb.py [--live]``.
"""

# ruff: noqa: S603, S607 - a harness starting our own servers
import functools
import os
import re
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import io, resource, sys, time
import django
django.setup()
from compliance.filecheck import UploadRejected, inspect_upload
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
try:
    inspect_upload(io.BytesIO(data), max_bytes=10 * 1024 * 1024)
    outcome = "accepted"
except UploadRejected as exc:
    outcome = "refused: " + exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
decoder = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu + decoder.ru_utime + decoder.ru_stime
print(f"{before / 1024:.0f} {after / 1024:.0f} {decoder.ru_maxrss / 1024:.0f} {cpu:.2f} {outcome}")
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


CASES = {
    "8000x8000 RGBA PNG": lambda: png(8000, 8000, 6, 4),
    "5000x5000 RGBA PNG (at the pixel cap)": lambda: png(5000, 5000, 6, 4),
    "5000x5000 RGB PNG": lambda: png(5000, 5000, 2, 3),
    "2480x3508 RGB PNG (A4 at 300 dpi)": lambda: png(2480, 3508, 2, 3),
}


def in_fresh_processes() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reseller.settings", "DEBUG": "on"}
    cases = {name: make() for name, make in CASES.items()}
    print(
        f"{'file':38} {'size':>7} {'RSS before':>10} {'peak RSS':>9} {'decoder':>8} {'CPU s':>6}"
        "  outcome"
    )
    for name, data in cases.items():
        result = subprocess.run(
            [sys.executable, "-c", CHILD],
            input=data,
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        before, after, decoder, cpu, outcome = result.stdout.decode().split(" ", 4)
        size = f"{len(data) / 1024:.0f} KB"
        row = f"{name:38} {size:>7} {before + ' MB':>10} {after + ' MB':>9} {decoder + ' MB':>8}"
        row += f" {cpu:>6}"
        print(f"{row}  {outcome.strip()}")


# ---- Live: eight uploads at once through gunicorn --------------------------------

LIVE_PORT = int(os.environ.get("UPLOAD_BOMB_PORT", "8154"))
LIVE_DATABASE_URL = os.environ.get(
    "UPLOAD_BOMB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reseller_upload_bomb"
)


def live_env(private_root: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - a harness
        "DEBUG": "off",
        "SECRET_KEY": "upload-bomb-" + "x" * 50,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": LIVE_DATABASE_URL,
        "EMAIL_URL": "memorymail://",
        "PRIVATE_MEDIA_ROOT": private_root,
        "MEDIA_ROOT": private_root + "/public",
        "LOG_LEVEL": "ERROR",
    }


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else 0.0


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


def eight_at_once(post, probe, workers: list[int]) -> tuple[float, float, list[int]]:
    """Eight ``post()`` calls at once, while sampling the workers' RSS and timing an
    anonymous visitor; the peak RSS, the slowest visit and the uploads' statuses."""
    peaks = dict.fromkeys(workers, 0.0)
    slowest = 0.0
    storm = threading.Event()

    def sample():
        while not storm.is_set():
            for pid in peaks:
                peaks[pid] = max(peaks[pid], rss_mb(pid))
            time.sleep(0.02)

    def visit():
        nonlocal slowest
        while not storm.is_set():
            for path in ("/healthz", "/"):
                started = time.monotonic()
                probe.get(path)
                slowest = max(slowest, time.monotonic() - started)

    watchers = [threading.Thread(target=sample), threading.Thread(target=visit)]
    for watcher in watchers:
        watcher.start()
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(
            {response.status_code for response in pool.map(lambda _: post(), range(8))}
        )
    storm.set()
    for watcher in watchers:
        watcher.join()
    return max(peaks.values()), slowest, statuses


def live() -> None:
    import tempfile

    import httpx

    name = LIVE_DATABASE_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    private_root = tempfile.mkdtemp(prefix="upload-bomb-")
    env = live_env(private_root)

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    manage("migrate", "--noinput")
    manage("createcachetable")
    password = re.search(r"Demo user 'agent' created, password: (\S+)", manage("seed_demo"))[1]
    manage("collectstatic", "--noinput", "--verbosity", "0")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reseller.wsgi",
            "--bind",
            f"127.0.0.1:{LIVE_PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{LIVE_PORT}"
    try:
        probe = httpx.Client(base_url=base, timeout=30)
        for _ in range(100):
            try:
                if probe.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        agent = httpx.Client(base_url=base, timeout=120)
        page = agent.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        agent.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": "agent", "password": password},
            headers={"Referer": base + "/accounts/login/"},
        )
        overview = agent.get("/agent/")
        subscriber = re.search(r'href="(/agent/subscribers/\d+/)"', overview.text)[1]
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', agent.get(subscriber).text
        )[1]
        idle = {pid: rss_mb(pid) for pid in workers_of(web.pid)}
        print(f"gunicorn workers at rest: {', '.join(f'{mb:.0f} MB' for mb in idle.values())}")
        print(f"{'eight at once of':38} {'peak worker RSS':>16} {'slowest anonymous':>18}  answers")
        for label, make in CASES.items():
            post = functools.partial(
                agent.post,
                subscriber + "documents/",
                data={"csrfmiddlewaretoken": token, "kind": "business_licence"},
                files={"file": ("scan.png", make(), "image/png")},
                headers={"Referer": base + subscriber},
            )
            peak, slowest, statuses = eight_at_once(post, probe, workers_of(web.pid))
            print(f"{label:38} {peak:>13.0f} MB {slowest * 1000:>15.0f} ms  {statuses}")
    finally:
        web.terminate()
        web.wait(30)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])


if __name__ == "__main__":
    live() if "--live" in sys.argv else in_fresh_processes()
