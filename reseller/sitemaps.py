"""/sitemap.xml: an index of one sitemap per kind of page, each in both languages
where the page exists in both. Every address is the page's canonical URL, on
``SITE_URL`` (not the Host the crawler sent), with ``x-default`` among the alternates."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from news.sitemaps import ArticleSitemap, CategorySitemap
from numbers.sitemaps import CatalogueSitemap, NumberSitemap
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


class OnSiteAddress:
    """Sitemap URLs on SITE_URL, the same as the pages' canonical links."""

    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


def on_site(sitemap: type[Sitemap]) -> type[Sitemap]:
    return type(sitemap.__name__, (OnSiteAddress, sitemap), {})


SITEMAPS = {
    name: on_site(sitemap)
    for name, sitemap in {
        "pages": SectionSitemap,
        "catalogue": CatalogueSitemap,
        "offices": OfficeSitemap,
        "news": ArticleSitemap,
        "news-categories": CategorySitemap,
        "numbers": NumberSitemap,
    }.items()
}
