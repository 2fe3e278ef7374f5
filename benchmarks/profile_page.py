"""Where one page's time goes, in one process: template nodes, URL reversals, a profile.

    DATABASE_URL=postgres://…/reseller_bench .venv/bin/python benchmarks/profile_page.py \
        "/numbers/?pattern=a4" [--repeat 50] [--profile]
    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/13 BENCH_ENDPOINTS=1 \
        .venv/bin/python benchmarks/profile_page.py --rotating 300 [--profile]

Renders the page ``--repeat`` times through Django's test client (DEBUG off, the
caches warm after the first request) and prints, per request: the wall time, the
time in SQL, the template nodes rendered and the URL reversals made. With
``--profile``, cProfile's top functions by their own time follow.

``--rotating N`` instead makes the first visit of N of make bench's rotating
searches (the long tail: none of them is in the cache; with REDIS_URL set, the
caches work as in production) and prints the wall and CPU time per request, its
SQL, and the CPU time of the trivial view ``/bench/ping``: CPU time is what a busy
two-core machine shares out, so its ratio moves less than the wall time's.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench.py
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolvers  # noqa: E402

counts = {"nodes": 0, "reversals": 0}


def counting(function, key):
    def wrapper(*args, **kwargs):
        counts[key] += 1
        return function(*args, **kwargs)

    return wrapper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default="/numbers/")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rotating", type=int, metavar="N", help="first visits of N searches")
    args = parser.parse_args()
    if args.rotating:
        rotating(args.rotating, args.profile)
        return
    client = Client(SERVER_NAME="127.0.0.1")
    status = client.get(args.path).status_code  # caches warm, templates compiled

    template_base.Node.render_annotated = counting(template_base.Node.render_annotated, "nodes")
    resolvers.URLResolver._reverse_with_prefix = counting(
        resolvers.URLResolver._reverse_with_prefix, "reversals"
    )
    profiler = cProfile.Profile() if args.profile else None
    sql_seconds = 0.0
    started = time.perf_counter()
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.enable()
            client.get(args.path)
            if profiler:
                profiler.disable()
        sql_seconds += sum(float(query["time"]) for query in queries.captured_queries)
    elapsed = time.perf_counter() - started
    print(
        f"{args.path}: status {status}; per request {elapsed / args.repeat * 1000:.2f} ms, "
        f"of which SQL {sql_seconds / args.repeat * 1000:.2f} ms "
        f"({len(queries.captured_queries)} queries); "
        f"{counts['nodes'] // args.repeat} template nodes, "
        f"{counts['reversals'] // args.repeat} URL reversals"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def rotating(count: int, profile: bool) -> None:
    from bench import rotating_searches
    from django.core.cache import cache

    paths = rotating_searches()
    if count + 20 > len(paths):
        raise SystemExit(f"--rotating: at most {len(paths) - 20}")
    cache.clear()  # none of them kept from an earlier run
    client = Client(SERVER_NAME="127.0.0.1")
    for path in paths[:20]:
        client.get(path)  # templates compiled, connections open
    profiler = cProfile.Profile() if profile else None
    sql = {"seconds": 0.0, "queries": 0}

    def timing(execute, *args):
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["queries"] += 1

    with connection.execute_wrapper(timing):
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for path in paths[20 : 20 + count]:
            client.get(path)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ping = time.process_time()
    for _ in range(500):
        client.get("/bench/ping")
    ping = (time.process_time() - ping) / 500
    print(
        f"{count} rotating searches, first visits: per request {wall / count * 1000:.2f} ms, "
        f"CPU {cpu / count * 1000:.2f} ms, SQL {sql['seconds'] / count * 1000:.2f} ms "
        f"({sql['queries'] / count:.1f} queries); /bench/ping CPU "
        f"{ping * 1000:.3f} ms (ratio of CPU times {ping / (cpu / count):.3f})"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
