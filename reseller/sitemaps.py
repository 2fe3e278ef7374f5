"""/sitemap.xml: an index of one sitemap per kind of page, each in both languages
where the page exists in both."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from news.sitemaps import ArticleSitemap, CategorySitemap
from numbers.sitemaps import NumberSitemap
from offices.sitemaps import OfficeSitemap


class SectionSitemap(Sitemap):
    """The site's fixed pages."""

    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return ["home", "numbers:catalogue", "offices:list", "news:list", "contact"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": SectionSitemap,
    "offices": OfficeSitemap,
    "news": ArticleSitemap,
    "news-categories": CategorySitemap,
    "numbers": NumberSitemap,
}
