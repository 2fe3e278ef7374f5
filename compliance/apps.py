from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Real-name verification")

    def ready(self):
        from compliance.services import order_verification_blocker
        from numbers.services import activation_check_register

        # Real-name verification gates service: no order goes live before it.
        activation_check_register(order_verification_blocker)
