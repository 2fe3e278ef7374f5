"""Settings the URL conf reads when it loads (ADMIN_URL, BENCH_ENDPOINTS)."""

import importlib
import sys
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches


@contextmanager
def urls_loaded_with(**changed):
    """The URL conf loaded again under ``changed`` settings, and again after them."""
    try:
        with override_settings(**changed):
            _reload_urls()
            yield
    finally:
        _reload_urls()


def _reload_urls():
    importlib.reload(sys.modules[settings.ROOT_URLCONF])
    clear_url_caches()
