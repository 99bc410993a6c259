"""The sitemap's portal-wide parts (home, country pages); components add theirs via hooks."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from asmhub.components import hook_modules
from asmhub.taxonomy.models import Country


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "site_search"]

    def location(self, item):
        return reverse(item)


class CountrySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Country.objects.programme()


def all_sitemaps() -> dict:
    found = {"pages": StaticPagesSitemap, "countries": CountrySitemap}
    for label, module in hook_modules("sitemaps"):
        found.update({f"{label}-{name}": sitemap for name, sitemap in module.sitemaps.items()})
    return found
