from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ResellerConfig(AppConfig):
    name = "reseller"

    def ready(self):
        from reseller import checks  # noqa: F401 - registers the system checks


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (reseller.admin) as ``admin.site``."""

    default = False  # not the config of the ``reseller`` app itself
    default_site = "reseller.admin.PortalAdminSite"
