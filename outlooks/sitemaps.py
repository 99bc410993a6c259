"""Sitemap entries for published Outlook editions and the overview pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from outlooks.models import Edition


class EditionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Edition.objects.published().order_by("country_id", "year")

    def lastmod(self, edition):
        return edition.updated_at


class OutlookPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["outlooks:list", "outlooks:compare"]

    def location(self, item):
        return reverse(item)


sitemaps = {"editions": EditionSitemap, "pages": OutlookPagesSitemap}
