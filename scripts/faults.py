"""Prove the site's behaviour under faults against real servers, then put them back.

Starts a throwaway PostgreSQL cluster and redis-server of its own (never the machine's),
serves the app with gunicorn on them, then:

1. Redis stopped: /healthz says the cache is unavailable (200) and an order is still taken.
2. PostgreSQL stopped: pages answer the site's 503 page within the connect timeout,
   with no traceback; /healthz answers 503.
3. PostgreSQL back: the same running gunicorn serves pages again, without a restart;
   the time it took is printed.

Everything started is stopped and removed at the end, also on failure. Run by
``make faults``; ports come from FAULTS_PORT (gunicorn), +1 (PostgreSQL), +2 (Redis).
Exit status 0 when every expectation held.
"""

# ruff: noqa: S603, S108, RUF005 - a test harness starting our own server binaries
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
BASE_PORT = int(os.environ.get("FAULTS_PORT", "8150"))
WEB, PG, REDIS = BASE_PORT, BASE_PORT + 1, BASE_PORT + 2
CONNECT_TIMEOUT = 3
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
PY = sys.executable

failures: list[str] = []


def check(condition: bool, what: str) -> None:
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)


def wait_until(predicate, timeout: float, step: float = 0.2) -> float | None:
    """Seconds until ``predicate()`` held, or None after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return time.monotonic() - start
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(step)
    return None


class Postgres:
    def __init__(self, folder: Path):
        self.data = folder / "pgdata"
        self.socket_dir = folder

    def init(self):
        subprocess.run(
            [*AS_POSTGRES, PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"],
            check=True,
            capture_output=True,
        )

    def start(self):
        options = f"-p {PG} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*AS_POSTGRES, PG_BIN / "pg_ctl", "start", "-w", "-D", self.data, "-o", options]
            + ["-l", self.socket_dir / "postgres.log"],
            check=True,
            capture_output=True,
        )

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*AS_POSTGRES, PG_BIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data],
                check=False,
                capture_output=True,
            )


class Redis:
    def __init__(self):
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(REDIS), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def app_env() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "off",
        "SECRET_KEY": "faults-" + "x" * 50,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG}/reseller_faults",
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "CACHE_URL": f"redis://127.0.0.1:{REDIS}/0",
        "EMAIL_URL": "memorymail://",
        "NUM_PROXIES": "0",
        "LOG_LEVEL": "CRITICAL",
    }


def place_order(client: httpx.Client, number: str) -> int:
    form = client.get(f"/numbers/{number}/order/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    data = {
        "csrfmiddlewaretoken": token[1] if token else "",
        "name": "王经理",
        "company": "故障演练有限公司",
        "mobile": "13800138000",
        "accept_rules": "on",
    }
    return client.post(f"/numbers/{number}/order/", data=data).status_code


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="reseller-faults-"))
    if AS_POSTGRES:
        shutil.chown(folder, "postgres")
    postgres, redis = Postgres(folder), Redis()
    env = app_env()
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        cleanup.callback(redis.stop)
        cleanup.callback(postgres.stop)
        print(f"Throwaway PostgreSQL on {PG}, Redis on {REDIS}, gunicorn on {WEB}", flush=True)
        postgres.init()
        postgres.start()
        redis.start()
        subprocess.run(
            [PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(PG), "-U", "postgres"]
            + ["reseller_faults"],
            check=True,
        )
        for command in (["migrate", "--noinput"], ["createcachetable"], ["seed_demo"]):
            done = subprocess.run(
                [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
            )
            if done.returncode:
                raise RuntimeError(f"manage.py {command[0]} failed:\n{done.stderr[-3000:]}")
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        web = subprocess.Popen(
            [PY, "-m", "gunicorn", "reseller.wsgi", "--bind", f"127.0.0.1:{WEB}"]
            + ["--workers", "2", "--threads", "4", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cleanup.callback(lambda: (web.terminate(), web.wait(20)))
        client = httpx.Client(base_url=f"http://127.0.0.1:{WEB}", timeout=30)
        if wait_until(lambda: client.get("/healthz").status_code == 200, 60) is None:
            raise RuntimeError("gunicorn did not come up")
        numbers = re.findall(r'href="/numbers/(400\d{7})/"', client.get("/numbers/").text)
        check(len(numbers) >= 2, "the catalogue lists numbers to order")

        print("Everything up:", flush=True)
        health = client.get("/healthz")
        check(health.json() == {"database": "ok", "cache": "ok"}, f"/healthz {health.text}")

        print("Redis stopped:", flush=True)
        redis.stop()
        health = client.get("/healthz")
        check(
            health.status_code == 200 and health.json()["cache"] == "unavailable",
            f"/healthz {health.status_code} {health.text}",
        )
        check(client.get("/").status_code == 200, "the home page answers")
        status = place_order(client, numbers[0])
        check(status == 302, f"an order is taken (status {status})")
        redis.start()

        print("PostgreSQL stopped:", flush=True)
        postgres.stop()
        for path in ("/", "/numbers/", "/healthz"):
            started = time.monotonic()
            response = client.get(path)
            took = time.monotonic() - started
            check(
                response.status_code == 503 and "Traceback" not in response.text,
                f"{path} answers 503 without a traceback in {took:.2f} s",
            )
            check(took < CONNECT_TIMEOUT + 2, f"{path} within the connect timeout + 2 s")

        print("PostgreSQL back:", flush=True)
        postgres.start()
        restarted = time.monotonic()
        recovered = wait_until(lambda: client.get("/numbers/").status_code == 200, 60, 0.1)
        if recovered is not None:
            recovered = time.monotonic() - restarted
        check(
            recovered is not None,
            f"pages answer 200 again {recovered or 0:.2f} s after PostgreSQL is back ",
        )
        check(web.poll() is None, "gunicorn was never restarted")
        status = place_order(client, numbers[1])
        check(status == 302, f"an order is taken again (status {status})")
    print("All servers stopped and removed.")
    if failures:
        print(f"{len(failures)} expectation(s) failed.")
        return 1
    print("Every expectation held.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
