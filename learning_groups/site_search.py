"""Portal-wide search: groups whose public name or description matches (nothing private)."""

from django.db.models import Q

from .models import LearningGroup


def search_section(request, query) -> dict | None:
    groups = list(
        LearningGroup.objects.select_related("country").filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(country__name__icontains=query)
        )[:10]
    )
    if not groups:
        return None
    return {"template": "learning_groups/_search_section.html", "groups": groups, "query": query}
