"""Hub-wide search: published Outlook editions whose title, summary or country match."""

from django.db.models import Q

from outlooks.models import Edition


def search_section(request, query) -> dict | None:
    editions = list(
        Edition.objects.published()
        .filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(country__name__icontains=query)
        )
        .select_related("country")
        .order_by("-year")[:10]
    )
    if not editions:
        return None
    return {"template": "outlooks/_search_section.html", "editions": editions}
