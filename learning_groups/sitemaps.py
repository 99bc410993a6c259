"""Sitemap of the public group pages (workspaces themselves are private)."""

from django.contrib.sitemaps import Sitemap

from .models import LearningGroup


class LearningGroupSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return LearningGroup.objects.order_by("slug")


sitemaps = {"groups": LearningGroupSitemap}
