"""`make bench`: what a visitor gets over HTTP, as ratios measured side by side.

    DATABASE_URL=postgres://…/reseller_bench .venv/bin/python benchmarks/bench.py [--scale N]

1. Seeds the PostgreSQL database of DATABASE_URL to ``--scale`` numbers (1,000,000
   by default) and a second one, the same name with ``10k`` appended, to 10,000
   (each only when it holds fewer; the seeding time is reported).
2. Starts the app as production runs it, once per database: gunicorn with
   ``deploy/gunicorn.conf.py`` (2 × cores + 1 workers × 4 threads), DEBUG off, no
   access log, workers never recycled, persistent connections, Redis for the caches
   (BENCH_REDIS_URL, default db 11, the comparison server the next), BENCH_ENDPOINTS on.
   With only 2 workers, wrk's 16 kept-alive connections sometimes all land on one of
   them, and one process's GIL then halves the rate: two runs of the same page
   differed by a factor of two.
3. Drives it with wrk on loopback. Every page run sits between two runs of the
   trivial view ``/bench/ping`` (A-B-A); a page's ratio is its requests per second
   over the mean of its two neighbours', and the median of ``--rounds`` rounds is
   reported. A busy, shared machine moves the absolute figures; the ratios hold.
   A page is requested once just before its run, so that it is measured as a page
   people ask for is: kept in the cache. The rotating searches are not.
4. Measures the SQL the catalogue runs for every filter (``catalogue_sql.py``),
   the queries per page, and a worker's resident memory after the load.

The table is printed and written to ``benchmarks/results/bench-<scale>.txt``.
"""

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_SCRIPT = ROOT / "benchmarks" / "wrk.lua"
RESULTS = ROOT / "benchmarks" / "results"

PATTERN_SLUGS = [
    "a3", "a4", "a5", "a6", "aabb", "abab", "abba", "aabbcc", "abcabc", "ababab",
    "run3", "run4", "run5", "down4",
]  # fmt: skip
OPERATORS = ["unicom", "mobile", "telecom"]
SORTS = ["price", "-price", "popular", "newest", "number"]

STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


# ---- What is measured ----------------------------------------------------------


@dataclass
class Case:
    label: str
    path: str
    target: str = ""  # which ratio the goal is on: "ping", "default", "page1", "small"
    goal: float = 0.0
    server: str = "large"
    rotating: list[str] = field(default_factory=list)


def catalogue(query: str = "") -> str:
    return f"/numbers/?{query}" if query else "/numbers/"


def rotating_searches(count: int = 1000, seed: int = 11) -> list[str]:
    """Distinct searches as visitors make them: 3 digits at a random position, and more."""
    rng = random.Random(seed)  # noqa: S311 - load generation, not secrets
    found: dict[str, None] = {}
    while len(found) < count:
        params = [("q", f"{rng.randrange(1000):03d}"), ("pos", rng.choice(["any", "start", "end"]))]
        narrow = False
        if rng.random() < 0.25:
            params.append(("pattern", rng.choice(PATTERN_SLUGS)))
            narrow = True
        if rng.random() < 0.3:
            params.append(("price_min", rng.choice([1000, 2000, 3000])))
        if rng.random() < 0.2:
            params.append(("exclude", rng.choice(["4", "47", "14"])))
        if rng.random() < 0.5:
            params.append(("sort", rng.choice(SORTS)))
        if not narrow and rng.random() < 0.4:
            params.append(("page", rng.randint(2, 5)))
        found[catalogue(urlencode(params))] = None
    return list(found)


def cases(number_path: str) -> list[Case]:
    searches = [
        *(f"pattern={slug}" for slug in PATTERN_SLUGS),
        *(f"operator={op}" for op in OPERATORS),
        *(f"q=518&pos={pos}" for pos in ("any", "start", "end")),
        "q=8888&pos=end",
        *(f"q=8*88&pos={pos}" for pos in ("any", "start", "end")),
        "q=6*8*8&pos=any",
        "exclude=4",
    ]
    filtered = [
        *(Case(query, catalogue(query)) for query in searches),
        Case("price 10000–20000", catalogue("price_min=10000&price_max=20000")),
        Case("88 at end, no 4, by price", catalogue("q=88&pos=end&exclude=4&sort=price")),
        Case(
            "a4 or aabb, unicom, ≤ 50000",
            catalogue("pattern=a4&pattern=aabb&operator=unicom&price_max=50000"),
        ),
    ]
    for case in filtered:
        case.target, case.goal = "default", 0.8
    return [
        Case("catalogue default", catalogue(), "ping", 0.6),
        *filtered,
        Case("deep page (page=400)", catalogue("page=400"), "page1", 0.9),
        Case("catalogue default, 10k numbers", catalogue(), "small", 0.9, server="small"),
        Case("number page", number_path, "ping", 0.6),
        Case("home page", "/", "ping", 0.6),
        Case("1,000 rotating searches", "/numbers/", "ping", 0.4, rotating=rotating_searches()),
    ]


# ---- Databases -------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def ensure_database(url: str) -> None:
    name = database_name(url)
    with psycopg.connect(libpq(with_database(url, "postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            say(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def count_numbers(url: str) -> int:
    with psycopg.connect(libpq(url)) as conn:
        return conn.execute("SELECT count(*) FROM numbers_number").fetchone()[0]


def manage(url: str, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def prepare(url: str, scale: int) -> float | None:
    """Migrate, add the demo content and seed up to ``scale`` numbers; seconds spent seeding."""
    ensure_database(url)
    say(f"{database_name(url)}: migrating")
    manage(url, "migrate", "--noinput")
    manage(url, "createcachetable")
    manage(url, "seed_demo")
    have = count_numbers(url)
    if have >= scale:
        say(f"{database_name(url)}: {have:,} numbers already (seeding skipped)")
        return None
    if scale > 6_000_000:
        add_every_prefix(url)
    say(f"{database_name(url)}: seeding {scale - have:,} numbers")
    started = time.monotonic()
    manage(url, "seed_numbers", "--count", str(scale - have), "--seed", "400", quiet=False)
    seconds = time.monotonic() - started
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE numbers_number")
    return seconds


def add_every_prefix(url: str) -> None:
    """All ten 400x prefixes, for the whole 400 space (the defaults cover six of them).

    The operators of the four added ones are synthetic: load data, not a tariff table.
    """
    operators = ["unicom", "mobile", "telecom", "unicom"]
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        for digit, operator in zip("2345", operators, strict=True):
            conn.execute(
                "INSERT INTO numbers_prefix (digits, operator) VALUES (%s, %s) "
                "ON CONFLICT (digits) DO NOTHING",
                [f"400{digit}", operator],
            )


def next_redis_database(url: str) -> str:
    """The same Redis server's next database (…/11 → …/12)."""
    base, _, index = url.rpartition("/")
    return f"{base}/{int(index or 0) + 1}"


def listed_number(url: str) -> str:
    with psycopg.connect(libpq(url)) as conn:
        row = conn.execute(
            "SELECT number FROM numbers_number WHERE status = 'available' "
            "ORDER BY number OFFSET (SELECT count(*) / 2 FROM numbers_number) LIMIT 1"
        ).fetchone()
    return row[0]


# ---- The app under test ----------------------------------------------------------


class Server:
    """gunicorn as production runs it, on one loopback port, with its own Redis database
    for the caches (emptied first: every run starts cold)."""

    def __init__(self, url: str, port: int, redis_url: str):
        self.url, self.port, self.redis_url = url, port, redis_url
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self, log_path: Path) -> None:
        self.log = log_path.open("w")
        redis.Redis.from_url(self.redis_url).flushdb()
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "REDIS_URL": self.redis_url,
            "DEBUG": "off",
            "BENCH_ENDPOINTS": "on",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "ERROR",  # a 400 for a bad search is logged as a warning
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
            # Never recycled, so that the memory read at the end is after every request.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "reseller.wsgi",
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        for _ in range(100):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn on port {self.port} exited:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.base}/bench/ping", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise SystemExit(f"gunicorn on port {self.port} did not answer /bench/ping")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes.append(kb / 1024)
        return sizes

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def drain(ping_url: str) -> None:
    """Wait out the requests wrk left in flight, so that they do not weigh on the next run."""
    for _ in range(3):
        fetch(ping_url)


@dataclass
class Run:
    rps: float
    p95_ms: float
    bad: int


def wrk(url: str, seconds: float, args, paths_file: str = "") -> Run:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds:g}s",
        "--timeout", "30s", "-s", str(WRK_SCRIPT), url,
    ]  # fmt: skip
    env = {**os.environ, "BENCH_PATHS": paths_file}
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return Run(
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p95_ms=report["p95_us"] / 1000,
        bad=report["non_2xx_3xx"] + report["socket_errors"],
    )


# ---- The run ---------------------------------------------------------------------


def measure(all_cases: list[Case], servers: dict[str, Server], args, workdir: Path):
    """A-B-A rounds: ping, case 1, ping, case 2, … ping. Returns per-case lists of ratios."""
    ping_url = f"{servers['large'].base}/bench/ping"
    paths_files = {}
    for case in all_cases:
        if case.rotating:
            paths_file = workdir / "rotating.txt"
            paths_file.write_text("\n".join(case.rotating) + "\n")
            paths_files[case.label] = str(paths_file)

    say("warming up every page")
    for case in all_cases:
        base = servers[case.server].base
        for path in case.rotating[:20] or [case.path] * 5:
            fetch(base + path)

    ratios = {case.label: [] for case in all_cases}
    p95_ratios = {case.label: [] for case in all_cases}
    runs = {case.label: [] for case in all_cases}
    pings = []
    requests = 0
    for round_number in range(1, args.rounds + 1):
        before = wrk(ping_url, args.ping_duration, args)
        pings.append(before)
        for index, case in enumerate(all_cases, 1):
            say(f"round {round_number}/{args.rounds} · {index}/{len(all_cases)} · {case.label}")
            url = servers[case.server].base + case.path
            if not case.rotating:
                # Measure the steady state of a page people ask for: in the cache. Without
                # this, its entry has run out since the last round and wrk's 16 first
                # requests all render it at once.
                fetch(url)
            run = wrk(url, args.duration, args, paths_files.get(case.label, ""))
            drain(ping_url)
            after = wrk(ping_url, args.ping_duration, args)
            pings.append(after)
            ping_rps = max((before.rps + after.rps) / 2, 0.01)
            ping_p95 = max((before.p95_ms + after.p95_ms) / 2, 0.01)
            ratios[case.label].append(run.rps / ping_rps)
            p95_ratios[case.label].append(run.p95_ms / ping_p95)
            runs[case.label].append(run)
            requests += int(run.rps * args.duration) + int(after.rps * args.ping_duration)
            before = after
    return ratios, p95_ratios, runs, pings, requests


def sql_report(url: str, workdir: Path) -> dict:
    out = workdir / "sql.json"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "off"}
    subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "catalogue_sql.py"), "--json", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def scale_label(scale: int) -> str:
    if scale % 1_000_000 == 0:
        return f"{scale // 1_000_000}m"
    if scale % 1000 == 0:
        return f"{scale // 1000}k"
    return str(scale)


def table(all_cases, ratios, p95_ratios, runs, pings, extra, args) -> str:
    median = {label: statistics.median(values) for label, values in ratios.items()}
    reference = {
        "ping": 1.0,
        "default": median["catalogue default"],
        "page1": median["catalogue default"],
        "small": median["catalogue default, 10k numbers"],
    }
    lines = []
    lines.append(
        f"{'page':<34} {'req/s':>7} {'÷ ping':>7} {'p95 ms':>7} {'p95 ÷ ping':>10}  "
        f"{'goal':<22} {'measured':>8}  met"
    )
    lines.append("-" * len(lines[0]))
    ping_rps = statistics.median(run.rps for run in pings)
    ping_p95 = statistics.median(run.p95_ms for run in pings)
    lines.append(
        f"{'/bench/ping (baseline)':<34} {ping_rps:>7.0f} {1:>7.2f} {ping_p95:>7.1f} {1:>10.2f}"
    )
    met_count = total = 0
    for case in all_cases:
        if case.server == "small":
            # Its own row shows the 10k catalogue; the goal is 1M ÷ 10k.
            goal_text = "1M ÷ 10k ≥ 0.9"
            measured = reference["default"] / median[case.label]
        else:
            names = {"ping": "÷ ping", "default": "÷ default", "page1": "÷ page 1"}
            goal_text = f"{names[case.target]} ≥ {case.goal}"
            measured = median[case.label] / reference[case.target]
        met = measured >= case.goal
        met_count, total = met_count + met, total + 1
        rps = statistics.median(run.rps for run in runs[case.label])
        p95 = statistics.median(run.p95_ms for run in runs[case.label])
        bad = sum(run.bad for run in runs[case.label])
        label = case.label + (f" ({bad} non-2xx)" if bad else "")
        lines.append(
            f"{label:<34} {rps:>7.0f} {median[case.label]:>7.2f} {p95:>7.1f} "
            f"{statistics.median(p95_ratios[case.label]):>10.2f}  {goal_text:<22} "
            f"{measured:>8.2f}  {'yes' if met else 'NO'}"
        )
    lines.append("")
    lines.extend(extra)
    lines.append("")
    lines.append(f"HTTP goals met: {met_count} of {total}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="numbers in the main database")
    parser.add_argument("--small", type=int, default=10_000, help="numbers in the comparison one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3, help="seconds per page run")
    parser.add_argument("--ping-duration", type=float, default=2, help="seconds per ping run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8140)))
    parser.add_argument("--only", help="measure only the cases whose label contains this")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make bench needs PostgreSQL: set DATABASE_URL=postgres://…/<db>")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    small_url = os.environ.get(
        "BENCH_SMALL_DATABASE_URL",
        with_database(url, database_name(url) + scale_label(args.small)),
    )

    seed_seconds = prepare(url, args.scale)
    prepare(small_url, args.small)
    say("collecting static files")
    manage(url, "collectstatic", "--noinput")

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    servers = {
        "large": Server(url, args.port, redis_url),
        "small": Server(small_url, args.port + 1, next_redis_database(redis_url)),
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        try:
            for server in servers.values():
                say(f"starting gunicorn on {server.base} ({database_name(server.url)})")
                server.start(workdir / f"gunicorn-{server.port}.log")
            all_cases = cases(f"/numbers/{listed_number(url)}/")
            if args.only:
                keep = {"catalogue default", "catalogue default, 10k numbers"}
                all_cases = [c for c in all_cases if args.only in c.label or c.label in keep]
            ratios, p95_ratios, runs, pings, requests = measure(all_cases, servers, args, workdir)
            rss = servers["large"].worker_rss_mb()
        finally:
            for server in servers.values():
                server.stop()
        say("measuring the catalogue's SQL")
        sql = sql_report(url, workdir)

    extra = [
        f"SQL at {sql['rows']:,} rows, warm, p95 of {sql['repeats']} runs (goal ≤ 5 ms each, "
        "no sequential scan on numbers_number):",
    ]
    for case in sql["cases"]:
        flag = "  SEQ SCAN" if case["seq_scan"] else ""
        slow = "  (over 5 ms)" if case["p95_ms"] > 5 else ""
        extra.append(
            f"  {case['label']:<24} {case['queries']} reads, {case['writes']} writes  "
            f"p95 {case['p95_ms']:7.2f} ms{flag}{slow}"
        )
    over = [c for c in sql["cases"] if c["p95_ms"] > 5 or c["seq_scan"]]
    extra.append(f"  SQL goals met: {len(sql['cases']) - len(over)} of {len(sql['cases'])}")
    if rotating := sql.get("rotating"):
        extra.append(
            f"  the {rotating['searches']:,} rotating searches, each once: p50 "
            f"{rotating['p50_ms']:.2f} ms, p95 {rotating['p95_ms']:.2f} ms, max "
            f"{rotating['max_ms']:.2f} ms, {rotating['seq_scans']} sequential scans"
        )
    extra.append(
        f"Queries per request: catalogue at most {sql['catalogue_queries']} reads (goal ≤ 2; "
        "searches and views are counted off the database), "
        f"number page {sql['number_page_queries']} (goal ≤ 2); order POST ≤ 4 is asserted in "
        "tests/numbers/test_order_form.py"
    )
    extra.append(
        "Seeding "
        + (
            f"{args.scale:,} numbers: {seed_seconds:.0f} s (goal ≤ 120 s for 1,000,000)"
            if seed_seconds is not None
            else "skipped: the database was seeded before (see benchmarks/results/seed_numbers.txt)"
        )
    )
    extra.append(
        f"Worker resident memory after ~{requests:,} requests: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + " (goal ≤ 120 MB)"
    )
    header = [
        f"make bench · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · commit {git_commit()} · "
        f"{args.scale:,} numbers (comparison: {args.small:,})",
        f"{platform.node()}: {os.cpu_count()} cores, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()),
        f"gunicorn deploy/gunicorn.conf.py ({2 * os.cpu_count() + 1} workers × 4 threads), "
        f"DEBUG off; wrk -t{args.threads} -c{args.connections}, "
        f"{args.duration:g} s per page between {args.ping_duration:g} s runs of /bench/ping, "
        f"median of {args.rounds} rounds",
        "",
    ]
    report = "\n".join(header) + table(all_cases, ratios, p95_ratios, runs, pings, extra, args)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    if not args.only:
        out = RESULTS / f"bench-{scale_label(args.scale)}.txt"
        out.write_text(report + "\n")
        say(f"written to {out.relative_to(ROOT)} in {time.monotonic() - STARTED:.0f} s")


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
