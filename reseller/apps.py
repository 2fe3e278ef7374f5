from django.apps import AppConfig


class ResellerConfig(AppConfig):
    name = "reseller"

    def ready(self):
        from reseller import checks  # noqa: F401 - registers the system checks
