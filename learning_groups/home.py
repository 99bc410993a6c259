"""Home-page section: the learning groups and their countries (meetings stay private)."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import LearningGroup, Meeting


def home_section(request) -> dict | None:
    groups = list(
        LearningGroup.objects.select_related("country").annotate(
            upcoming=Count(
                "meetings",
                filter=Q(
                    meetings__status=Meeting.Status.PLANNED,
                    meetings__starts_at__gte=timezone.now(),
                ),
            )
        )
    )
    if not groups:
        return None
    return {
        "template": "learning_groups/_home_section.html",
        "groups": groups,
        "upcoming_count": sum(group.upcoming for group in groups),
    }
