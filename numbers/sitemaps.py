from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from numbers.models import Number, Operator, Pattern


class NumberSitemap(Sitemap):
    """Every listed number's page (in the default language), read a page at a time:
    a million numbers make a hundred sitemap pages, each a single query."""

    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Number.objects.listed().order_by("number").values_list("number", flat=True)

    def location(self, digits):
        # DESIGN.md's contract: a number's page is /numbers/<ten digits>/.
        return f"{self._catalogue_path}{digits}/"

    @cached_property
    def _catalogue_path(self):
        # The sitemap sits outside the language prefixes; its links must not follow
        # the crawler's Accept-Language.
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("numbers:catalogue")


class CatalogueSitemap(Sitemap):
    """The catalogue's landing pages: one vanity class or one operator on its own,
    the filters CatalogueForm.canonical_query() keeps indexable."""

    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return [("pattern", slug) for slug in Pattern.values] + [
            ("operator", code) for code in Operator.values
        ]

    def location(self, item):
        name, value = item
        return f"{reverse('numbers:catalogue')}?{urlencode({name: value})}"
