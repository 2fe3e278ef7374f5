"""Where one page's time goes, in one process: template nodes, URL reversals, a profile.

    DATABASE_URL=postgres://…/reseller_bench .venv/bin/python benchmarks/profile_page.py \
        "/numbers/?pattern=a4" [--repeat 50] [--profile]

Renders the page ``--repeat`` times through Django's test client (DEBUG off, the
caches warm after the first request) and prints, per request: the wall time, the
time in SQL, the template nodes rendered and the URL reversals made. With
``--profile``, cProfile's top functions by their own time follow.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
