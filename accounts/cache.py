"""Django's database cache with an increment that two workers cannot interleave.

Rate-limit counters must be shared by every worker of a machine without Redis,
so they live in the database cache. Its ``incr`` is a read then a write; this one
runs both in one transaction holding the row: ``SELECT … FOR UPDATE`` on
PostgreSQL, the write lock SQLite takes up front (``transaction_mode=IMMEDIATE``).
"""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


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
