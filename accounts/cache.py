"""Cache backends: a database cache whose increments hold, a Redis cache that forgives.

Rate-limit counters must be shared by every worker of a machine without Redis,
so they live in the database cache. Its ``incr`` is a read then a write; this one
runs both in one transaction holding the row: ``SELECT … FOR UPDATE`` on
PostgreSQL, the write lock SQLite takes up front (``transaction_mode=IMMEDIATE``).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
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


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache that treats an unreachable server as an empty cache.

    The cache speeds pages up and holds rate-limit counters; neither may stop a customer
    from ordering while Redis restarts. Reads miss, writes are dropped, and each failure
    is logged. ``incr`` still raises, so a rate limit knows it could not count.
    """

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
