"""`make audit`: Lighthouse's four scores for the pages a visitor lands on.

Serves the app with gunicorn (DEBUG off, demo data, its own SQLite file unless
DATABASE_URL says otherwise) on 127.0.0.1:$AUDIT_PORT, runs Lighthouse (pinned below,
installed from npm into .audit/, never a downloaded browser: Debian's Chromium) with
its default mobile settings on each page, prints a table and exits non-zero when a
score is under $AUDIT_TARGET. Reports stay in .audit/<page>.json. Not part of CI: a
run takes a few minutes.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = ROOT / ".audit"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = AUDIT_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = [
    ("home", "/"),
    ("catalogue", "/numbers/"),
    ("filtered catalogue", "/numbers/?pattern=a4"),
    ("number", "/numbers/4006328888/"),
    ("article", "/news/real-name-verification-2016/"),
    ("office", "/offices/guangzhou/"),
    ("quotation", "/numbers/4006328888/quote/"),
]


def install_lighthouse():
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: install Node.js (apt-get install npm) to run the audit.")
    AUDIT_DIR.mkdir(exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(AUDIT_DIR), "--no-audit", "--no-fund",
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )  # fmt: skip


def server_environment(port: int) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{AUDIT_DIR / 'audit.sqlite3'}")
    env.update(DEBUG="off", SITE_URL=f"http://127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, seconds: int = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 - our own loopback server
                return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.5)
    sys.exit(f"The app did not answer at {url}.")


def exists(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30):  # noqa: S310 - our own loopback server
            return True
    except urllib.error.HTTPError:
        return False


def lighthouse(url: str, report: Path, cpu_slowdown: str) -> tuple[dict[str, int], int]:
    """The four scores and the host's benchmark index; a failed trace is tried again."""
    env = dict(os.environ, CHROME_PATH=CHROME)
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
               f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}"]  # fmt: skip
    for attempt in range(3):
        # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART).
        if subprocess.run(command, env=env, check=False).returncode == 0:
            break
        print(f"Lighthouse failed on {url} (attempt {attempt + 1})", file=sys.stderr)
    else:
        sys.exit(f"Lighthouse could not audit {url}.")
    result = json.loads(report.read_text())
    categories = result["categories"]
    scores = {name: round(categories[name]["score"] * 100) for name in CATEGORIES}
    return scores, round(result["environment"]["benchmarkIndex"])


def main() -> int:
    port = int(os.environ.get("AUDIT_PORT", "8180"))
    target = int(os.environ.get("AUDIT_TARGET", "95"))
    # Lighthouse's default (4) assumes a fast desktop host; see docs/seo.md before changing it.
    cpu_slowdown = os.environ.get("AUDIT_CPU_SLOWDOWN", "4")
    install_lighthouse()
    env = server_environment(port)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    # seed_demo prints the demo users' passwords: not for the audit's output.
    seed = [sys.executable, "manage.py", "seed_demo"]
    subprocess.run(seed, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "reseller.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_until_up(base + "/healthz")
        for name, path in PAGES:
            if not exists(base + path):
                print(f"{name}: {path} does not exist here, skipped", file=sys.stderr)
                continue
            exists(base + path)  # warm: templates compiled, caches filled
            report = AUDIT_DIR / f"{name.replace(' ', '-')}.json"
            rows.append((name, path, *lighthouse(base + path, report, cpu_slowdown)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile, {CHROME}, CPU slowdown {cpu_slowdown}×\n")
    print(f"| page | path | {' | '.join(CATEGORIES)} | host benchmark index |")
    print(f"|---|---|{'---|' * len(CATEGORIES)}---|")
    for name, path, scores, benchmark in rows:
        cells = " | ".join(str(scores[c]) for c in CATEGORIES)
        print(f"| {name} | `{path}` | {cells} | {benchmark} |")
    low = [(row[0], c) for row in rows for c in CATEGORIES if row[2][c] < target]
    if low:
        print(f"\nUnder {target}: " + ", ".join(f"{name} ({c})" for name, c in low))
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
