"""A country page's dialogue section: dialogues held in or about the country."""

from .models import Dialogue

SHOWN = 5


def country_section(request, country) -> dict | None:
    found = list(
        Dialogue.objects.visible_to(request.user)
        .for_country(country.code)
        .order_by("-start_date", "-pk")[: SHOWN + 1]
    )
    if not found:
        return None
    return {
        "template": "dialogues/_country_section.html",
        "country": country,
        "dialogues": found[:SHOWN],
        "has_more": len(found) > SHOWN,
    }
