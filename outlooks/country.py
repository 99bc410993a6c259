"""Country page section: that country's published Outlook editions."""

from outlooks.models import Edition


def country_section(request, country) -> dict | None:
    editions = list(Edition.objects.published().for_country(country.code).order_by("-year"))
    if not editions:
        return None
    return {"template": "outlooks/_country_section.html", "editions": editions, "country": country}
