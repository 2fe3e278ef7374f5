"""Views and searches: counted off the database by the pages, written in batches by the flush."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import environ
import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from numbers import counters
from numbers.models import Number, SearchTally, SearchVisitor
from numbers.services import HOT_SEARCHES_CACHE_KEY, counters_flush
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/numbers/"
SEARCH = {"q": "8888", "pos": "end"}
TALLY_KEY = "q=8888&pos=end"


@pytest.fixture(params=["spool", "redis"])
def events(request, settings):
    """Each buffer the site can run on: the spool file (no Redis) and Redis."""
    if request.param == "redis":
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            pytest.skip(f"Redis does not answer at {url}: start it to run this test")
        config = environ.Env.cache_url_config(url)
        settings.CACHES = {**settings.CACHES, "default": config, "limits": config}
        caches["limits"].clear()
        yield counters.buffer()
        caches["limits"].clear()
    else:
        yield counters.buffer()


def writes(queries) -> list[str]:
    """The writes among ``queries``, but the flush job a page queues once a minute."""
    jobs = DBTaskResult._meta.db_table
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and jobs not in query["sql"]
    ]


def tally() -> dict[str, int]:
    return dict(SearchTally.objects.values_list("query", "hits"))


def test_views_reach_the_database_with_the_flush(client, events):
    number = NumberFactory(number="4006328888", view_count=7)
    Number.objects.filter(pk=number.pk).update(view_count=10)  # counted before, elsewhere

    client.get("/numbers/4006328888/")
    client.get("/numbers/4006328888/")
    number.refresh_from_db()
    assert number.view_count == 10

    assert counters_flush().views == 2
    number.refresh_from_db()
    assert number.view_count == 12
    assert counters_flush().views == 0  # counted once


def test_a_number_page_view_writes_nothing_to_the_database(client):
    NumberFactory(number="4006328888")
    client.get("/numbers/4006328888/")  # the minute's first view queues the flush job

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/numbers/4006328888/")

    assert response.status_code == 200
    assert writes(queries) == []


def test_a_new_search_writes_nothing_to_the_database(client):
    NumberFactory(number="4006328888")
    client.get(CATALOGUE, {"q": "518"})  # the minute's first search queues the flush job

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE, SEARCH)

    assert response.status_code == 200
    assert writes(queries) == []


def test_the_flush_is_queued_once_a_minute_whatever_the_traffic(client):
    NumberFactory(number="4006328888")

    for _ in range(5):
        client.get("/numbers/4006328888/")
        client.get(CATALOGUE, SEARCH)

    assert DBTaskResult.objects.filter(task_path="numbers.tasks.flush_counters").count() == 1


def test_the_queued_job_counts_the_views(client, run_jobs):
    number = NumberFactory(number="4006328888")
    client.get("/numbers/4006328888/")

    run_jobs()

    number.refresh_from_db()
    assert number.view_count == 1


def test_forty_searches_from_one_client_count_once(client, events):
    for _ in range(40):
        client.get(CATALOGUE, SEARCH, REMOTE_ADDR="203.0.113.7")
    counters_flush()

    assert tally() == {TALLY_KEY: 1}


def test_searches_from_three_clients_count_three(client, events):
    for address in ("203.0.113.7", "203.0.113.8", "198.51.100.1"):
        client.get(CATALOGUE, SEARCH, REMOTE_ADDR=address)
        client.get(CATALOGUE, SEARCH, REMOTE_ADDR=address)
    counters_flush()

    assert tally() == {TALLY_KEY: 3}


def test_a_client_counts_again_the_next_day(events):
    today = timezone.localdate()
    for _ in range(3):
        counters.count_search(query=TALLY_KEY, address="203.0.113.7", day=today)
    counters_flush()
    for _ in range(3):
        counters.count_search(query=TALLY_KEY, address="203.0.113.7", day=today + timedelta(1))
    counters_flush()

    hits = SearchTally.objects.filter(query=TALLY_KEY).values_list("day", "hits")
    assert sorted(hits) == [(today, 1), (today + timedelta(1), 1)]


def test_a_repeat_in_a_later_batch_does_not_count_again(events):
    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    counters_flush()
    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    counters.count_search(query=TALLY_KEY, address="203.0.113.8")
    counters_flush()

    assert tally() == {TALLY_KEY: 2}


def test_no_address_is_stored(events):
    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    counters_flush()

    visitor = SearchVisitor.objects.get().visitor
    assert "203.0.113.7" not in visitor
    assert visitor == counters.visitor_hash(address="203.0.113.7", day=timezone.localdate())
    assert visitor != counters.visitor_hash(
        address="203.0.113.7", day=timezone.localdate() + timedelta(1)
    )


def test_visitors_of_days_whose_tally_is_final_are_forgotten(events):
    today = timezone.localdate()
    SearchVisitor.objects.create(day=today - timedelta(days=2), query=TALLY_KEY, visitor="old")
    SearchVisitor.objects.create(day=today - timedelta(days=1), query=TALLY_KEY, visitor="kept")

    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    counters_flush()

    assert set(SearchVisitor.objects.values_list("visitor", flat=True)) == {
        "kept",
        counters.visitor_hash(address="203.0.113.7", day=today),
    }


def test_a_flush_with_new_searches_drops_the_cached_hot_searches(events):
    cache.set(HOT_SEARCHES_CACHE_KEY, [("pattern=aabb", 9)])
    counters.count_view(NumberFactory().pk)
    counters_flush()
    assert cache.get(HOT_SEARCHES_CACHE_KEY) is not None  # views alone change no ranking

    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    counters_flush()

    assert cache.get(HOT_SEARCHES_CACHE_KEY) is None


def test_a_flush_while_another_holds_the_lock_leaves_the_events_to_it(events):
    number = NumberFactory()
    counters.count_view(number.pk)

    with events.lock() as locked:
        assert locked
        assert counters_flush().views == 0

    assert counters_flush().views == 1
    number.refresh_from_db()
    assert number.view_count == 1


def test_views_during_a_flush_wait_for_the_next_one(events):
    number = NumberFactory()
    counters.count_view(number.pk)

    with events.lock():
        batches = events.batches()
        batch, delete = next(batches)
        counters.count_view(number.pk)  # arrives while the first batch is being written
        delete()
        assert batch.views == {number.pk: 1}
        assert next(batches, None) is None

    assert counters_flush().views == 1


def test_a_batch_whose_transaction_failed_is_counted_by_the_next_flush(events):
    number = NumberFactory()
    counters.count_view(number.pk)

    with events.lock(), pytest.raises(RuntimeError):
        for _batch, _delete in events.batches():
            with transaction.atomic():
                Number.objects.filter(pk=number.pk).update(view_count=99)
                raise RuntimeError("the database went away")

    assert counters_flush().views == 1
    number.refresh_from_db()
    assert number.view_count == 1


@pytest.mark.django_db(transaction=True)
def test_two_flushes_at_once_count_every_view_once(events):
    number = NumberFactory()
    for _ in range(50):
        counters.count_view(number.pk)
    start = threading.Barrier(2)
    results = []

    def flush():
        start.wait()
        try:
            results.append(counters_flush().views)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    number.refresh_from_db()
    assert number.view_count == 50
    assert sorted(results)[-1] + sorted(results)[0] == 50


@pytest.mark.django_db(transaction=True)
def test_views_from_many_threads_are_all_counted(events):
    number = NumberFactory()

    def view():
        try:
            for _ in range(100):
                counters.count_view(number.pk)
        finally:
            connection.close()  # the thread that queues the flush job used one

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    flushed = counters_flush().views  # flushes in the middle of the traffic
    for thread in threads:
        thread.join()
    flushed += counters_flush().views

    number.refresh_from_db()
    assert flushed == number.view_count == 400


WORKER = """
import sys
import reseller
from collections import Counter
from numbers.counters import SpoolBuffer, view_line
spool = SpoolBuffer(sys.argv[1])
for _ in range(int(sys.argv[3])):
    spool.append(Counter([view_line(int(sys.argv[2]))]))
"""


def test_views_from_several_processes_on_the_spool_are_all_counted(settings):
    """As gunicorn's workers do, without Redis: flushes meanwhile lose and double nothing."""
    number = NumberFactory()
    project = Path(__file__).resolve().parents[2]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(settings.COUNTER_SPOOL_DIR), str(number.pk), "2000"],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project)},
        )
        for _ in range(4)
    ]
    flushed = 0
    while any(worker.poll() is None for worker in workers):
        flushed += counters_flush().views
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0]
    flushed += counters_flush().views

    number.refresh_from_db()
    assert flushed == number.view_count == 8000


def test_popular_sort_follows_the_flushed_views(client, events):
    quiet, popular = NumberFactory(number="4006000001"), NumberFactory(number="4006000002")
    for _ in range(3):
        client.get(popular.get_absolute_url())
    client.get(quiet.get_absolute_url())
    counters_flush()

    response = client.get(CATALOGUE, {"sort": "popular"})

    assert [n.number for n in response.context["numbers"]] == ["4006000002", "4006000001"]


def test_the_command_flushes_and_says_what_it_counted(events):
    number = NumberFactory()
    counters.count_view(number.pk)
    counters.count_search(query=TALLY_KEY, address="203.0.113.7")
    out = StringIO()

    call_command("flush_counters", stdout=out)

    assert out.getvalue().strip() == "Counted 1 view(s) and 1 search(es)."
    number.refresh_from_db()
    assert number.view_count == 1


def test_with_redis_down_pages_still_answer_and_the_event_is_dropped(client, caplog):
    dead = {
        "BACKEND": "accounts.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:8649/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    NumberFactory(number="4006328888")

    with override_settings(CACHES={**settings.CACHES, "default": dead, "limits": dead}):
        pages = [client.get("/numbers/4006328888/"), client.get(CATALOGUE, SEARCH)]

    assert [page.status_code for page in pages] == [200, 200]
    assert "1 events were not counted" in caplog.text


def test_a_worker_sends_its_events_together_a_moment_later(events, settings):
    """Views gathered while the timer runs reach the shared buffer in one go."""
    settings.COUNTER_SEND_SECONDS = 3600
    number = NumberFactory()
    for _ in range(3):
        counters.count_view(number.pk)
    assert counters_flush().views == 0  # still in this worker

    counters.recent_events.send()  # what the timer does when it runs out
    assert counters_flush().views == 3
    number.refresh_from_db()
    assert number.view_count == 3


def test_the_timer_sends_them_by_itself(events, settings):
    settings.COUNTER_SEND_SECONDS = 0.01
    # This minute's flush is already queued: the timer's thread queues no job.
    if isinstance(events, counters.SpoolBuffer):
        events.claim_flush_slot()
    else:
        events.client.set(events.cache.make_key("counters:scheduled"), 1, ex=3600)
    number = NumberFactory()
    counters.count_view(number.pk)
    timer = counters.recent_events._timer
    assert timer is not None
    timer.join(timeout=10)

    assert counters_flush().views == 1
