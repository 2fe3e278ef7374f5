from django.contrib.sitemaps import Sitemap

from offices.models import Office


class OfficeSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True

    def items(self):
        return Office.objects.active()
