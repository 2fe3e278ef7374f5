"""Order POST time with a slow mail server, and mails lost or doubled when it is down.

    .venv/bin/python benchmarks/mail_outage.py [--project DIR] [--delay 3] [--down 60]

Runs the portal in DIR (default: this checkout) as gunicorn, plus its worker when DIR
has one (the Procfile's `worker:`), on a fresh SQLite database, with a real SMTP
sink on loopback that answers each message after ``--delay`` seconds. Places orders,
times each POST, then stops the sink for ``--down`` seconds while more orders come
in, starts it again and counts what arrives: lost (never delivered) and duplicates.
Point --project at an export of an older commit (`git archive main | tar -x -C DIR`)
for the before figures.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from tests.support.http import Visitor  # noqa: E402
from tests.support.servers import PortalProcesses, SmtpSink, wait_until  # noqa: E402


def order(visitor, base, digits):
    started = time.perf_counter()
    reply = visitor.post(
        f"{base}/numbers/{digits}/order/",
        {
            "name": "王经理",
            "company": "示例公司",
            "mobile": "13800138000",
            "email": "boss@example.com",
            "office": "",
            "message": "",
            "accept_rules": "on",
        },
    )
    elapsed = time.perf_counter() - started
    if reply.status != 302:
        raise SystemExit(f"The order was refused ({reply.status}): {reply.text[:500]}")
    reference = re.search(r"/orders/([A-Z0-9]+)/", reply.headers["Location"]).group(1)
    return elapsed, reference


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, default=HERE)
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--down", type=float, default=60.0)
    parser.add_argument("--orders", type=int, default=5)
    arguments = parser.parse_args()
    project = arguments.project.resolve()
    procfile = project / "Procfile"
    has_worker = procfile.exists() and "worker:" in procfile.read_text()

    folder = Path(tempfile.mkdtemp(prefix="mail-outage-"))
    sink = SmtpSink().start()
    environment = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "EMAIL_TIMEOUT": "10",
        "DEBUG": "off",
        "SECRET_KEY": "mail-outage-benchmark-" + "x" * 40,
        "FIELD_ENCRYPTION_KEY": "x" * 43 + "=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STAFF_NOTIFY_EMAILS": "orders@example.com",
        "RATE_LIMIT_ORDERS": "1000/h",
        # One customer places every order: the benchmark measures mail, not the limits.
        "HOLD_LIMIT_PER_MOBILE": "0",
        "HOLD_LIMIT_PER_COMPANY": "0",
        "HOLD_LIMIT_PER_ADDRESS": "0",
        "MAIL_RETRY_SECONDS": "5",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "ERROR",
    }
    env = {**os.environ, **environment}
    for step in (["migrate", "-v0"], ["seed_numbers", "--count", "200"]):
        subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *step], cwd=project, env=env, check=True
        )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=project,
        env=env,
        check=True,
    )
    digits = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from numbers.models import Number\n"
            "for n in Number.objects.orderable()[:60]: print(n.number)",
        ],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    processes = PortalProcesses(environment, folder, project)
    try:
        base = processes.web("web")
        if has_worker:
            processes.worker()
        visitor = Visitor()
        expected = []

        sink.delay = arguments.delay
        times = []
        for number in digits[: arguments.orders]:
            elapsed, reference = order(visitor, base, number)
            times.append(elapsed)
            expected.append(reference)
        print(
            f"order POST with a {arguments.delay:g} s mail server: "
            f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"({len(times)} orders)"
        )
        sink.delay = 0

        sink.stop()
        down_started = time.monotonic()
        during = []
        for number in digits[arguments.orders : arguments.orders + 10]:
            elapsed, reference = order(visitor, base, number)
            during.append(elapsed)
            expected.append(reference)
        time.sleep(max(0.0, arguments.down - (time.monotonic() - down_started)))
        print(
            f"order POST with the mail server down: median {statistics.median(during):.2f} s "
            f"({len(during)} orders in {arguments.down:g} s down)"
        )
        sink = SmtpSink(port=sink.port).start()
        wanted = {(reference, to) for reference in expected for to in ("boss", "orders")}

        def received():
            return [
                (reference, to)
                for subject, raw in zip(sink.subjects(), sink.messages, strict=True)
                for reference in expected
                if reference in subject
                for to in ("boss", "orders")
                if f"To: {to}@example.com".encode() in raw
            ]

        if has_worker:
            try:
                wait_until(
                    lambda: set(received()) >= {w for w in wanted if w[0] in expected[-10:]},
                    timeout=300,
                    what="every mail of the outage",
                )
            except AssertionError as missing:
                print(missing)
        time.sleep(10)  # anything still coming would be a duplicate
        outage = {w for w in wanted if w[0] in expected[-10:]}
        got = [r for r in received() if r in outage]
        print(
            f"mail server down {arguments.down:g} s: {len(outage)} mails due, "
            f"{len(outage - set(got))} lost, {len(got) - len(set(got))} duplicates "
            f"(delivered after it came back: {len(set(got))})"
        )
    finally:
        processes.stop()
        sink.stop()


if __name__ == "__main__":
    main()
