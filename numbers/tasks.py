"""Background jobs of the catalogue; the worker (`manage.py db_worker`) runs them."""

from django_tasks import task

from numbers import services


@task()
def flush_counters() -> str:
    """Write the buffered page views and searches; the pages queue it once a minute."""
    result = services.counters_flush()
    return f"{result.views} views, {result.searches} searches"
