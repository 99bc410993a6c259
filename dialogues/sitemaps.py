"""Sitemap entries for public, published dialogue records and their series."""

from django.contrib.sitemaps import Sitemap

from .models import DialogueSeries
from .selectors import public_dialogues


class DialogueSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_dialogues().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class DialogueSeriesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return DialogueSeries.objects.filter(
            pk__in=public_dialogues().filter(series__isnull=False).values("series_id")
        ).order_by("pk")


sitemaps = {"dialogues": DialogueSitemap, "series": DialogueSeriesSitemap}
