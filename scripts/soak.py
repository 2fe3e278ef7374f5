"""make soak: 60 s of mixed traffic at 64 connections against gunicorn on PostgreSQL.

Serves the app with gunicorn (4 workers) on ``SOAK_DATABASE_URL`` (default: the
database ``reseller_hardening_soak`` on the local PostgreSQL, made fresh), drives it
with 64 concurrent clients for ``SOAK_SECONDS`` (60): catalogue searches, number
pages, news, offices and orders, and four of them the demo agent uploading scans
of the demo subscriber's documents; then prints the 5xx count and latency percentiles
and checks the database invariants: no number with two open orders, no order past
`submitted` without history (placing writes none: the order records it), no mobile,
company or address over its hold limit, no document row without its file. Exit status 0
when there were no 5xx and every invariant held.
"""

# ruff: noqa: S603, S607, S108, S311, RUF005 - a harness starting our own servers, random traffic
import asyncio
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("SOAK_PORT", "8153"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "64"))
AGENTS = 4  # of the connections, the ones uploading documents
STORAGE = tempfile.mkdtemp(prefix="soak-")  # the documents and media of this run
DATABASE_URL = os.environ.get(
    "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reseller_hardening_soak"
)

INVARIANTS = r"""
from django.db.models import Count, Q
from numbers.models import HOLD_KEYS, Order, OrderStatus, hold_limits
from numbers.models.orders import OPEN_ORDER_STATUSES
from compliance.models import Document
from compliance import storage
open_orders = Order.objects.filter(status__in=OPEN_ORDER_STATUSES)
doubles = open_orders.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
# Placing an order writes no history row (the order records it): every other status has one.
no_history = (
    Order.objects.exclude(status=OrderStatus.SUBMITTED)
    .annotate(n=Count("events")).filter(n=0).count()
)
over_limit = sum(
    Order.objects.holding().values(column).annotate(n=Count("id"))
    .filter(n__gt=limit).exclude(**{column: None}).count()
    for column, slot in HOLD_KEYS.items() if (limit := hold_limits()[slot])
)
missing = sum(1 for d in Document.objects.all() if not storage.path_of(d.stored_name).exists())
print(f"orders {Order.objects.count()} numbers-with-two-open-orders {doubles}",
      f"orders-without-history {no_history} holders-over-a-limit {over_limit}",
      f"documents-without-file {missing}")
"""


def env() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "off",
        "SECRET_KEY": "soak-" + "x" * 50,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "EMAIL_URL": "memorymail://",
        "PRIVATE_MEDIA_ROOT": f"{STORAGE}/private",
        "MEDIA_ROOT": f"{STORAGE}/media",
        "LOG_LEVEL": "ERROR",
        # Every client comes from 127.0.0.1: the soak measures the site, not the limits.
        "RATE_LIMIT_ORDERS": "100000/h",
        "RATE_LIMIT_ORDERS_PER_ADDRESS": "100000/h",
        "RATE_LIMIT_UPLOADS_PER_AGENT": "100000/h",
        "RATE_LIMIT_UPLOADS_PER_SUBSCRIBER": "100000/h",
        "HOLD_LIMIT_PER_ADDRESS": "0",
    }


def manage(*args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env(), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


async def visitor(client: httpx.AsyncClient, numbers, deadline, latencies, errors, orders):
    while time.monotonic() < deadline:
        pick = random.random()
        number = random.choice(numbers)
        started = time.monotonic()
        if pick < 0.08:
            form = await client.get(f"/numbers/{number}/order/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            data = {
                "csrfmiddlewaretoken": token[1] if token else "",
                "name": "压测",
                "company": f"压测公司{random.randint(1, 10**6)}",
                "mobile": f"138{random.randint(10**7, 10**8 - 1)}",
                "accept_rules": "on",
            }
            response = await client.post(f"/numbers/{number}/order/", data=data)
            orders.append(response.status_code)
        else:
            path = random.choice(
                [
                    "/",
                    "/numbers/",
                    f"/numbers/?q={random.randint(0, 9999)}&pos=end",
                    "/numbers/?pattern=aabb&sort=price",
                    f"/numbers/{number}/",
                    "/news/",
                    "/offices/",
                    "/healthz",
                ]
            )
            response = await client.get(path)
        latencies.append(time.monotonic() - started)
        if response.status_code >= 500:
            errors.append((response.status_code, str(response.url)))


def scan(seed: int) -> bytes:
    """A small JPEG that differs from upload to upload, like a phone's photo of a licence."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), (seed % 256, 90, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


async def agent(client: httpx.AsyncClient, password, deadline, latencies, errors, uploads):
    """The demo agent, logged in, handing in scans of the demo subscriber's documents."""
    page = await client.get("/accounts/login/")
    await client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": csrf(page.text), "username": "agent", "password": password},
        headers={"Referer": f"{client.base_url}accounts/login/"},
    )
    subscriber = re.search(r'href="(/agent/subscribers/\d+/)"', (await client.get("/agent/")).text)
    while subscriber and time.monotonic() < deadline:
        started = time.monotonic()
        token = csrf((await client.get(subscriber[1])).text)
        response = await client.post(
            subscriber[1] + "documents/",
            data={"csrfmiddlewaretoken": token, "kind": "business_licence"},
            files={"file": ("licence.jpg", scan(random.randint(0, 10**6)), "image/jpeg")},
            headers={"Referer": f"{client.base_url}{subscriber[1][1:]}"},
        )
        uploads.append(response.status_code)
        latencies.append(time.monotonic() - started)
        if response.status_code >= 500:
            errors.append((response.status_code, str(response.url)))


def csrf(html: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return token[1] if token else ""


async def drive(numbers, password):
    latencies, errors, orders, uploads = [], [], [], []
    deadline = time.monotonic() + SECONDS
    limits = httpx.Limits(max_connections=CONNECTIONS)
    clients = [
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=30, limits=limits)
        for _ in range(CONNECTIONS)
    ]
    agents, visitors = clients[:AGENTS], clients[AGENTS:]
    await asyncio.gather(
        *(agent(c, password, deadline, latencies, errors, uploads) for c in agents),
        *(visitor(c, numbers, deadline, latencies, errors, orders) for c in visitors),
    )
    for client in clients:
        await client.aclose()
    return latencies, errors, orders, uploads


def main() -> int:
    name = DATABASE_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage("migrate", "--noinput")
    manage("createcachetable")
    password = re.search(r"Demo user 'agent' created, password: (\S+)", manage("seed_demo"))[1]
    manage("seed_numbers", "--count", "20000")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "reseller.wsgi", "--bind", f"127.0.0.1:{PORT}"]
        + ["--workers", "4", "--threads", "4", "--timeout", "60"],
        cwd=ROOT,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        probe = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=10)
        for _ in range(100):
            try:
                if probe.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        numbers = re.findall(r'href="/numbers/(400\d{7})/"', probe.get("/numbers/").text)
        numbers += re.findall(r'href="/numbers/(400\d{7})/"', probe.get("/numbers/?page=2").text)
        latencies, errors, orders, uploads = asyncio.run(drive(sorted(set(numbers)), password))
    finally:
        web.terminate()
        web.wait(30)
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    print(
        f"{len(latencies)} requests in {SECONDS:.0f} s at {CONNECTIONS} connections: "
        f"{len(errors)} 5xx, p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms, max {pct(1):.0f} ms"
    )
    print(f"orders: {len(orders)} posted, statuses {sorted(set(orders))}")
    print(f"uploads: {len(uploads)} posted, statuses {sorted(set(uploads))}")
    for status, url in errors[:10]:
        print(f"  {status} {url}")
    report = manage("shell", "-c", INVARIANTS).strip().splitlines()[-1]
    print("invariants:", report)
    counts = [int(n) for n in re.findall(r"(?<=\s)(\d+)", report)][1:]
    return 1 if errors or any(counts) else 0


if __name__ == "__main__":
    sys.exit(main())
