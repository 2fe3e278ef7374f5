"""Cache backends, and the generation counter of what public pages show.

The backends: a database cache whose increments hold, a Redis cache that forgives.

Rate-limit counters must be shared by every worker of a machine without Redis,
so they live in the database cache. Its ``incr`` is a read then a write; this one
runs both in one transaction holding the row: ``SELECT … FOR UPDATE`` on
PostgreSQL, the write lock SQLite takes up front (``transaction_mode=IMMEDIATE``).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connections, router, transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {connection.ops.quote_name(self._table)} "  # noqa: S608
                        "WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


class ReusedRedisClient(RedisCacheClient):
    """Django's Redis cache client, with one redis-py client per connection pool.

    Django makes a new ``redis.Redis`` for every cache call, and redis-py fills ~170
    response callbacks each time: a quarter of a millisecond, more than serving a page
    from the cache otherwise costs. One client per pool is safe across threads (each
    command borrows a connection from the pool).
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache that treats an unreachable server as an empty cache.

    The cache speeds pages up and holds rate-limit counters; neither may stop a customer
    from ordering while Redis restarts. Reads miss, writes are dropped, and each failure
    is logged. ``incr`` still raises, so a rate limit knows it could not count.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient

    def get(self, key, default=None, version=None):
        return self._forgive("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._forgive("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._forgive("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("add", False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("set", None, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("set_many", list(data), data, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgive("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._forgive("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._forgive("delete_many", None, keys, version=version)

    def _forgive(self, method, fallback, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError:
            logger.warning("Cache %s failed: Redis does not answer", method, exc_info=True)
            return fallback


# ---- The generation of public content --------------------------------------------

CONTENT_VERSION_KEY = "content-version"


def content_version() -> int:
    """The generation of what public pages show: numbers, plans, offices, articles.

    A page kept in the cache is good while it carries this generation. A missing key
    (a cache just started or flushed) starts again from the clock, never from a value
    an older page could carry.
    """
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, 0)
    return version


# This process's last reading of the generation and when it was made (monotonic).
_recent_reading: tuple[int, float] | None = None


def recent_content_version() -> int | None:
    """The generation as this process read it less than PAGE_CACHE_LOCAL_SECONDS ago.

    None when that reading is older, or there is none: then read ``content_version()``
    and ``remember_content_version()`` it. A change made by this process forgets the
    reading at once; another server's shows here that many seconds later at most.
    """
    if _recent_reading is None:
        return None
    version, read_at = _recent_reading
    if time.monotonic() - read_at >= settings.PAGE_CACHE_LOCAL_SECONDS:
        return None
    return version


def current_content_version() -> int:
    """The generation, as recently read by this process or read now."""
    version = recent_content_version()
    if version is None:
        version = content_version()
        remember_content_version(version)
    return version


def remember_content_version(version: int) -> None:
    global _recent_reading
    _recent_reading = (version, time.monotonic())


def forget_content_version() -> None:
    global _recent_reading
    _recent_reading = None


def content_changed(**kwargs) -> None:
    """Public pages kept in the cache are out of date once this change is committed.

    A signal receiver for the models pages show; called by hand after writes that send
    no signal (``QuerySet.update``, ``bulk_create``, raw SQL). After the commit, so that
    no request renders the old rows again under the new generation.
    """
    transaction.on_commit(_next_content_version)


def _next_content_version() -> None:
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # no generation yet: the next read starts one
        pass
    except RedisError:
        logger.warning("Cache incr failed: Redis does not answer", exc_info=True)
    finally:
        forget_content_version()
