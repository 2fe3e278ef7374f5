from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumbersConfig(AppConfig):
    """Premium 400 numbers: prefixes, plans, the catalogue, shortlist and orders.

    The folder has no ``__init__.py`` on purpose: see the note in settings.py.
    """

    name = "numbers"
    verbose_name = _("Numbers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts.cache import content_changed
        from numbers.models import Number, Plan, Prefix

        # What the catalogue, number and home pages show; kept pages go out of date.
        for model in (Number, Plan, Prefix):
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, weak=False)
