from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from offices.models import Office, forget_active_offices

        def forget(**kwargs):
            forget_active_offices()

        post_save.connect(forget, sender=Office, weak=False, dispatch_uid="offices-forget-saved")
        post_delete.connect(forget, sender=Office, weak=False, dispatch_uid="offices-forget-gone")
