"""The public glossary page (/glossary/): every term in five languages, searchable."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from asmhub.glossary.models import LANGUAGES
from asmhub.glossary.selectors import glossary_terms

PER_PAGE = 100


def _search_url() -> str:
    """The library search if the library is installed, else the hub-wide search."""
    try:
        return reverse("resources:list")
    except NoReverseMatch:
        return reverse("site_search")


@require_GET
def glossary(request):
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:100]
    terms = glossary_terms(query=query)
    page = Paginator(terms, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "page_obj": page,
        "languages": [(code, str(name)) for code, name in LANGUAGES],
        "search_url": _search_url(),
    }
    return render(request, "glossary/list.html", context)
