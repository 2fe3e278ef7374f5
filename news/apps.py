from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and notices")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts.cache import content_changed
        from news.models import Article, Category

        # The home page lists the latest articles; kept pages go out of date.
        for model in (Article, Category):
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, weak=False)
