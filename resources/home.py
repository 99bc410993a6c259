"""The library's section of the home page: featured and latest published resources."""

from resources.models import Resource

FEATURED = 3
LATEST = 5
_FIELDS = ("title", "slug", "summary", "resource_type", "year", "published_at")


def home_section(request) -> dict | None:
    """Two queries: the featured resources and the latest ones (featured ones not repeated)."""
    featured = list(Resource.objects.featured().only(*_FIELDS).order_by("-published_at")[:FEATURED])
    latest = list(
        Resource.objects.published()
        .exclude(pk__in=[r.pk for r in featured])
        .only(*_FIELDS)
        .order_by("-published_at", "-pk")[:LATEST]
    )
    if not featured and not latest:
        return None
    return {
        "template": "resources/_home_section.html",
        "featured": featured,
        "latest": latest,
    }
