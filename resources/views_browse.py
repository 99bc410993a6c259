"""Browse and search the library (/resources/) and its RSS and Atom feeds, same filters."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from asmhub.validators import xml_safe
from resources.filters import SORT_CHOICES, ResourceFilterSet
from resources.models import Resource
from resources.search_log import search_log_record
from resources.selectors import resource_search

FEED_ITEMS = 30


@require_GET
def resource_list(request):
    found = resource_search(params=request.GET, user=request.user)
    if found.query and request.GET.get("page", "1") == "1":  # not a further page of one
        search_log_record(
            words=found.query,
            filters=found.filter_key,
            language=getattr(request, "LANGUAGE_CODE", ""),
            results=found.total,
        )
    context = {"found": found, "page_obj": found.page, "sort_choices": SORT_CHOICES}
    return render(request, "resources/list.html", context)


def _xml_safe_values(values: dict) -> dict:
    return {
        name: [xml_safe(v) for v in value] if isinstance(value, list | tuple) else xml_safe(value)
        for name, value in values.items()
    }


class XmlSafeRssFeed(Rss201rev2Feed):
    """RSS that leaves out characters XML cannot hold, whatever a stored row contains.

    Forms refuse control characters, but older rows, imports and the shell can still hold
    one, and a single one would otherwise make the feed fail for every reader.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_xml_safe_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **_xml_safe_values(kwargs))


class XmlSafeAtomFeed(Atom1Feed):
    """Atom with the same guard as XmlSafeRssFeed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_xml_safe_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **_xml_safe_values(kwargs))


class ResourceFeed(Feed):
    """Newly published resources (RSS 2.0), narrowed by the list page's filters."""

    feed_type = XmlSafeRssFeed
    title = _("ASM Hub: new resources")
    description = _("Resources newly published in the ASM Hub library.")

    def get_object(self, request, *args, **kwargs):
        return ResourceFilterSet(request.GET, queryset=Resource.objects.published())

    def link(self, filterset):
        query = filterset.data.urlencode() if filterset.is_bound else ""
        return reverse("resources:list") + (f"?{query}" if query else "")

    def items(self, filterset):
        return (
            filterset.qs.order_by("-published_at", "-id")
            .defer("search_vector", "facets")
            .select_related("organisation")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.authors or (item.organisation.name if item.organisation else None)


class ResourceAtomFeed(ResourceFeed):
    """The same feed as Atom 1.0."""

    feed_type = XmlSafeAtomFeed
    subtitle = ResourceFeed.description
