"""Home page section: the latest published Outlook editions."""

from outlooks.models import Edition


def home_section(request) -> dict | None:
    editions = list(
        Edition.objects.published().select_related("country").order_by("-published_at")[:4]
    )
    if not editions:
        return None
    return {"template": "outlooks/_home_section.html", "editions": editions}
