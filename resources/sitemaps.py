"""Published resources in the sitemap (nothing pending, rejected or withdrawn)."""

from django.contrib.sitemaps import Sitemap

from resources.models import Resource


class ResourceSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"library": ResourceSitemap}
