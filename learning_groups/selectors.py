"""Reads for learning-group pages (who may see them is decided by learning_groups.rules)."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.http import Http404
from django.utils import timezone

from .models import (
    ActionItem,
    Attendance,
    Invitation,
    JoinRequest,
    LearningGroup,
    Meeting,
    Membership,
)

WORKSPACE_MEMBERS_SHOWN = 12


def public_group(*, slug: str) -> LearningGroup:
    group = LearningGroup.objects.select_related("country").filter(slug=slug).first()
    if group is None:
        raise Http404
    return group


def membership_for(*, user, group) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user=user).first()


def _next_meeting_start():
    return Subquery(
        Meeting.objects.filter(
            group=OuterRef("pk"), status=Meeting.Status.PLANNED, ends_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def group_list():
    """All groups with their member count, coordinators and next meeting date (3 queries)."""
    member_count = Subquery(
        Membership.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    coordinators = Prefetch(
        "memberships",
        queryset=Membership.objects.coordinators()
        .select_related("user__profile")
        .order_by("joined_at"),
        to_attr="coordinator_memberships",
    )
    return (
        LearningGroup.objects.select_related("country")
        .annotate(member_count=member_count, next_meeting_at=_next_meeting_start())
        .prefetch_related(coordinators)
    )


@dataclass
class Workspace:
    upcoming_meetings: list
    recent_meetings: list
    open_action_items: list
    documents: list
    members: list
    member_count: int
    activities: list
    pending_join_requests: list


def _workspace_meetings(group):
    """The next five and the last five meetings, in one round trip."""
    now = timezone.now()
    upcoming = (
        Meeting.objects.filter(group=group)
        .upcoming()
        .defer("agenda", "minutes")
        .annotate(kind=Value("upcoming"))
        .order_by("starts_at")[:5]
    )
    recent = (
        Meeting.objects.filter(group=group, starts_at__lt=now)
        .defer("agenda", "minutes")
        .annotate(kind=Value("recent"))
        .order_by("-starts_at")[:5]
    )
    rows = list(upcoming.union(recent, all=True))
    for meeting in rows:
        meeting.group = group
    return (
        sorted((m for m in rows if m.kind == "upcoming"), key=lambda m: m.starts_at),
        sorted((m for m in rows if m.kind == "recent"), key=lambda m: m.starts_at, reverse=True),
    )


def workspace(*, group, membership) -> Workspace:
    """What a member sees on the group's page; a fixed number of queries whatever the size."""
    # The group's size comes with the first few members (an uncorrelated subquery, run once).
    size = (
        Membership.objects.filter(group_id=group.pk)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    members = list(
        group.memberships.select_related("user__profile")
        .annotate(total=Subquery(size))
        .order_by("role", "joined_at")[:WORKSPACE_MEMBERS_SHOWN]
    )
    pending = []
    if membership.is_coordinator:
        pending = list(
            group.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
                "user__profile"
            )
        )
    upcoming, recent = _workspace_meetings(group)
    return Workspace(
        upcoming_meetings=upcoming,
        recent_meetings=recent,
        open_action_items=list(group.action_items.open().select_related("owner__profile")[:20]),
        documents=list(
            group.documents.select_related("uploaded_by__profile", "output").order_by(
                "-uploaded_at", "-pk"
            )[:5]
        ),
        members=members,
        member_count=members[0].total if members else 0,
        activities=list(group.activities.select_related("actor__profile")[:10]),
        pending_join_requests=pending,
    )


def members_page(*, group):
    return group.memberships.select_related("user__profile").order_by("role", "joined_at")


@dataclass
class MeetingPage:
    meeting: Meeting
    names: dict
    counts: dict
    invited_count: int
    my_response: str
    action_items: list
    carried_over: list


def meeting_page(*, meeting, membership, member_count: int | None = None) -> MeetingPage:
    """A meeting with its answers, agreed actions and the open actions carried over into it.

    Answers are read as plain values (not model instances): a meeting of a 500-member group
    can have 500 of them.
    """
    group = meeting.group
    # Keys usable in templates ("will_attend", not "will-attend").
    names = {choice.replace("-", "_"): [] for choice in Attendance.Response.values}
    mine = Attendance.Response.INVITED
    answers = (
        meeting.attendances.exclude(response=Attendance.Response.INVITED)
        .order_by("user__profile__display_name", "user__email")
        .values_list("user_id", "response", "user__profile__display_name", "user__email")
    )
    for user_id, response, display_name, email in answers:
        names[response.replace("-", "_")].append(display_name or email.split("@")[0])
        if user_id == membership.user_id:
            mine = response
    counts = {key: len(value) for key, value in names.items()}
    if member_count is None:
        member_count = group.memberships.count()
    carried_over = []
    if meeting.status == Meeting.Status.PLANNED:
        # Nothing agreed is forgotten: every still-open item from earlier meetings.
        carried_over = list(
            group.action_items.open()
            .filter(
                Q(meeting__starts_at__lt=meeting.starts_at)
                | Q(meeting__isnull=True, created_at__lt=meeting.starts_at)
            )
            .select_related("owner__profile")
        )
    return MeetingPage(
        meeting=meeting,
        names=names,
        counts=counts,
        invited_count=max(member_count - sum(counts.values()), 0),
        my_response=mine,
        action_items=list(meeting.action_items.select_related("owner__profile")),
        carried_over=carried_over,
    )


def my_groups(*, user):
    """The "My groups" dashboard: the user's groups, next meetings and open action items."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("group__country")
        .annotate(next_meeting_at=_group_next_meeting())
        .order_by("group__name")
    )
    group_ids = [m.group_id for m in memberships]
    meetings = list(
        Meeting.objects.filter(group_id__in=group_ids).upcoming().select_related("group")[:10]
    )
    actions = list(
        ActionItem.objects.open()
        .filter(owner=user, group_id__in=group_ids)
        .select_related("group", "meeting")
    )
    return memberships, meetings, actions


def _group_next_meeting():
    return Subquery(
        Meeting.objects.filter(
            group=OuterRef("group"), status=Meeting.Status.PLANNED, ends_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def documents_page(*, group):
    return group.documents.select_related("uploaded_by__profile", "output__resource")


def invitation_from_key(key: str) -> Invitation | None:
    """The invitation a link names, or None for a tampered or unknown link.

    Expiry, use and addressee are judged by the page, which explains each case.
    """
    try:
        token = signing.loads(key, salt=Invitation.SIGNING_SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("group").filter(token=token).first()


CALENDAR_HISTORY = timedelta(days=365)


def meetings_for_calendar(*, group):
    """The feed calendar apps poll: the past year and everything ahead (keeps it small)."""
    since = timezone.now() - CALENDAR_HISTORY
    return Meeting.objects.filter(group=group, ends_at__gte=since).order_by("starts_at")


CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def membership_by_calendar_token(*, slug: str, token: str) -> Membership:
    # Tokens are URL-safe base64 (models.new_calendar_token); anything else (a NUL byte
    # included, which PostgreSQL refuses) names no membership.
    if not CALENDAR_TOKEN.fullmatch(token or ""):
        raise Http404
    membership = (
        Membership.objects.select_related("group")
        .filter(group__slug=slug, calendar_token=token)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
