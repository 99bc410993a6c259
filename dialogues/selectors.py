"""Reads of dialogue records, with who may see what decided in the lookup itself."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from asmhub.access import is_curator
from resources.models import Resource

from .filters import DialogueFilter
from .models import (
    Dialogue,
    DialogueResource,
    DialogueSeries,
    FollowUpAction,
    FollowUpStatus,
    FollowUpUpdate,
    NamedParticipant,
    ParticipationCount,
)


def latest_status_subquery(action_ref: str = "pk"):
    """The status of an action's latest update (date, then entry order), as a subquery."""
    return Subquery(
        FollowUpUpdate.objects.filter(action=OuterRef(action_ref))
        .order_by("-date", "-created_at", "-pk")
        .values("status")[:1]
    )


def with_follow_up_progress(queryset):
    """Annotate dialogues with follow_ups_total and follow_ups_done (by current status)."""
    done = (
        FollowUpAction.objects.filter(dialogue=OuterRef("pk"))
        .annotate(latest_status=latest_status_subquery())
        .filter(latest_status=FollowUpStatus.DONE)
        .order_by()
        .values("dialogue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        FollowUpAction.objects.filter(dialogue=OuterRef("pk"))
        .order_by()
        .values("dialogue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        follow_ups_total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
        follow_ups_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
    )


def _list_queryset(user):
    return (
        Dialogue.objects.visible_to(user)
        .select_related("series")
        .prefetch_related("countries")
        .order_by("-start_date", "-pk")
    )


def dialogue_list(*, params, user) -> DialogueFilter:
    """The dialogues `user` may see, filtered by the URL's parameters; `.qs` is the result."""
    return DialogueFilter(params or None, queryset=_list_queryset(user))


def access_dialogue(*, user, slug: str) -> Dialogue:
    """The dialogue with everything its page shows, or Http404 if `user` may not see it."""
    participants = NamedParticipant.objects.select_related("stakeholder_type")
    if not is_curator(user):
        participants = participants.filter(consent_to_publish=True)
    resources = Resource.objects.visible_to(user).values("pk")
    queryset = (
        Dialogue.objects.visible_to(user)
        .select_related("series")
        .prefetch_related(
            "countries",
            "themes",
            "convening_organisations",
            "sessions",
            Prefetch(
                "participation",
                queryset=ParticipationCount.objects.select_related("stakeholder_type"),
            ),
            Prefetch("named_participants", queryset=participants),
            Prefetch(
                "resource_links",
                queryset=DialogueResource.objects.filter(resource__in=resources).select_related(
                    "resource"
                ),
            ),
            Prefetch(
                "follow_up_actions",
                queryset=FollowUpAction.objects.select_related("organisation", "stakeholder_type"),
            ),
            "follow_up_actions__updates",
        )
    )
    try:
        return queryset.get(slug=slug)
    except Dialogue.DoesNotExist:
        raise Http404("No such dialogue.") from None


def access_series(*, user, slug: str) -> tuple[DialogueSeries, list[Dialogue]]:
    """A series and its dialogues `user` may see, oldest first, with follow-up progress.

    A series none of whose dialogues `user` may see answers 404, like a private dialogue.
    """
    try:
        series = DialogueSeries.objects.get(slug=slug)
    except DialogueSeries.DoesNotExist:
        raise Http404("No such series.") from None
    dialogues = list(
        with_follow_up_progress(Dialogue.objects.visible_to(user).filter(series=series))
        .prefetch_related("countries")
        .order_by("start_date", "pk")
    )
    if not dialogues:
        raise Http404("No such series.")
    return series, dialogues


def public_dialogues():
    """What anyone may see: published and public (home, country pages, search, sitemap)."""
    return Dialogue.objects.published().public()


def search_dialogues(*, query: str, limit: int = 10):
    words = Q()
    for field in ("title", "issue", "outcome_summary", "key_agreements", "continued_disagreements"):
        words |= Q(**{f"{field}__icontains": query})
    return list(public_dialogues().filter(words).order_by("-start_date", "-pk")[:limit])
