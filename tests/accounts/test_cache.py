"""The database cache behind rate limits counts every hit, however many workers race."""

import threading

import pytest
from django.core.cache import caches
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_increments_are_never_lost():
    limits = caches["limits"]
    limits.set("counter", 0)
    workers, hits = 4, 25

    def work():
        try:
            for _ in range(hits):
                caches["limits"].incr("counter")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert limits.get("counter") == workers * hits
