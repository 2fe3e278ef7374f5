from django.contrib.sitemaps import Sitemap

from numbers.models import Number


class NumberSitemap(Sitemap):
    """Every listed number's page. One language only: a million numbers stay a few
    index pages, read from the database a page at a time."""

    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Number.objects.listed().order_by("number").only("number")
