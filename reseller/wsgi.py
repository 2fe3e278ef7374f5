"""WSGI entry point for gunicorn: ``gunicorn reseller.wsgi``."""

import os

import reseller  # noqa: F401 - first: makes the ``numbers`` app importable (see reseller/__init__.py)

# isort: split
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")

application = get_wsgi_application()
