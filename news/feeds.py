from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from news.models import Article


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the newest published articles (never drafts or scheduled ones)."""

    def title(self):
        site = settings.SITE_NAME_EN if get_language() == "en" else settings.SITE_NAME
        return _("%(site)s: news and notices") % {"site": site}

    def link(self):
        return reverse("news:list")

    def description(self):
        return _("Company news, industry news and notices about 400 numbers.")

    def items(self):
        return Article.objects.published().select_related("category").newest_first()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or Truncator(strip_tags(item.body_html)).chars(200)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name]
