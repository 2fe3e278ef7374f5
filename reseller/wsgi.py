"""WSGI entry point for gunicorn: ``gunicorn reseller.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")

application = get_wsgi_application()
