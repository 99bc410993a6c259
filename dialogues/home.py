"""The home page's dialogue section: the next public dialogues and the latest held ones."""

from django.utils import timezone

from .selectors import public_dialogues

SHOWN = 3


def home_section(request) -> dict | None:
    today = timezone.localdate()
    upcoming = list(public_dialogues().upcoming(today)[:SHOWN])
    recent = list(public_dialogues().past(today)[:SHOWN])
    if not (upcoming or recent):
        return None
    return {"template": "dialogues/_home_section.html", "upcoming": upcoming, "recent": recent}
