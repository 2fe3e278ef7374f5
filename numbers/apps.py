from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumbersConfig(AppConfig):
    """Premium 400 numbers: prefixes, plans, the catalogue, shortlist and orders.

    The folder has no ``__init__.py`` on purpose: see the note in settings.py.
    """

    name = "numbers"
    verbose_name = _("Numbers")
