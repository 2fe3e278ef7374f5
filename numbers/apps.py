import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumbersConfig(AppConfig):
    """Premium 400 numbers: prefixes, plans, the catalogue, shortlist and orders.

    The folder has no ``__init__.py`` on purpose: see the note in settings.py.
    """

    name = "numbers"
    verbose_name = _("Numbers")

    def ready(self):
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from numbers.forms import OFFICES_CACHE_KEY
        from offices.models import Office

        def forget_offices(**kwargs):
            try:
                cache.delete(OFFICES_CACHE_KEY)
            except Exception:  # nothing is cached while the cache is down
                logging.getLogger(__name__).warning("Cache unavailable: office list not dropped")

        post_save.connect(forget_offices, sender=Office, weak=False, dispatch_uid="orders-offices")
        post_delete.connect(
            forget_offices, sender=Office, weak=False, dispatch_uid="orders-offices-del"
        )
