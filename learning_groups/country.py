"""Country-page section: the country's learning group(s), public description only."""

from .models import LearningGroup


def country_section(request, country) -> dict | None:
    groups = list(LearningGroup.objects.for_country(country.code))
    if not groups:
        return None
    return {"template": "learning_groups/_country_section.html", "groups": groups}
