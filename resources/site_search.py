"""The library's part of the hub-wide search (/search/): the best few published matches."""

from django.http import QueryDict

from resources.selectors import resource_search_top


def search_section(request, query):
    results, total = resource_search_top(query=query)
    if not results:
        return None
    return {
        "template": "resources/_search_section.html",
        "results": results,
        "total": total,
        "more_url": "?" + QueryDict.fromkeys(["q"], query, mutable=True).urlencode(),
    }
