"""Background jobs of learning groups: the emails, built after the write that caused them commits.

Each task renders one message per recipient in that person's language and queues it for the
kernel's mail task (asmhub.emails.send_email), which sends and retries.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from .calendars import meeting_ics
from .emails import build_message, send_all
from .models import ActionItem, Activity, Invitation, JoinRequest, Meeting, Membership


def _every_email_members(group, *, exclude_user_id=None):
    members = Membership.objects.filter(group=group, emails=Membership.Emails.EVERY).select_related(
        "user__profile"
    )
    if exclude_user_id:
        members = members.exclude(user_id=exclude_user_id)
    return members


@task()
def send_invitation(invitation_id: int) -> int:
    invitation = (
        Invitation.objects.select_related("group", "invited_by__profile")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.is_used or invitation.revoked:
        return 0
    # In the invitee's language if they already have an account, else in the inviter's.
    invitee = (
        get_user_model()
        .objects.filter(email__iexact=invitation.email)
        .select_related("profile")
        .first()
    )
    message = build_message(
        template="invitation",
        context={"invitation": invitation, "group": invitation.group},
        to=invitation.email,
        user=invitee or invitation.invited_by,
    )
    return send_all([message])  # always sent: the invitee chose nothing yet


@task()
def send_join_request(join_request_id: int) -> int:
    join_request = (
        JoinRequest.objects.select_related("group", "user__profile")
        .filter(pk=join_request_id)
        .first()
    )
    if join_request is None:
        return 0
    coordinators = _every_email_members(join_request.group).filter(role=Membership.Role.COORDINATOR)
    messages = [
        build_message(
            template="join_request",
            context={"join_request": join_request, "group": join_request.group},
            to=membership.user.email,
            user=membership.user,
        )
        for membership in coordinators
    ]
    return send_all(messages)


@task()
def send_join_decision(join_request_id: int) -> int:
    """Tell the person who asked to join what the coordinators decided."""
    join_request = (
        JoinRequest.objects.select_related("group", "user__profile")
        .filter(pk=join_request_id)
        .first()
    )
    if join_request is None or join_request.status == JoinRequest.Status.PENDING:
        return 0
    message = build_message(
        template="join_decision",
        context={"join_request": join_request, "group": join_request.group},
        to=join_request.user.email,
        user=join_request.user,
    )
    return send_all([message])


@task()
def send_meeting_notice(meeting_id: int, change: str, actor_id: int | None = None) -> int:
    """Meeting scheduled, changed or cancelled: to members who want every email, .ics attached."""
    meeting = Meeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    group = meeting.group
    ics = meeting_ics(meeting)
    context = {
        "meeting": meeting,
        "group": group,
        "change": change,
        "starts_local": meeting.starts_at.astimezone(group.zone),
        "ends_local": meeting.ends_at.astimezone(group.zone),
    }
    messages = [
        build_message(
            template="meeting_notice",
            context=context,
            to=membership.user.email,
            user=membership.user,
            attachments=[("meeting.ics", ics, "text/calendar")],
        )
        for membership in _every_email_members(group, exclude_user_id=actor_id)
    ]
    return send_all(messages)


@task()
def send_action_assigned(action_item_id: int) -> int:
    item = (
        ActionItem.objects.select_related("group", "owner__profile", "meeting")
        .filter(pk=action_item_id)
        .first()
    )
    if item is None or item.owner is None:
        return 0
    # Always sent, whatever the owner's email preference: it is their own action.
    message = build_message(
        template="action_assigned",
        context={"item": item, "group": item.group},
        to=item.owner.email,
        user=item.owner,
    )
    return send_all([message])


@task()
def send_weekly_digests() -> int:
    """One email per group to each member who chose the weekly digest (last 7 days, next 14)."""
    now = timezone.now()
    sent = 0
    weekly = Membership.objects.filter(emails=Membership.Emails.WEEKLY).select_related(
        "group", "user__profile"
    )
    by_group = {}
    for membership in weekly:
        by_group.setdefault(membership.group, []).append(membership)
    for group, memberships in by_group.items():
        activities = list(
            Activity.objects.filter(group=group, created_at__gte=now - timedelta(days=7))
            .select_related("actor__profile")
            .order_by("created_at")
        )
        meetings = list(
            Meeting.objects.filter(group=group, starts_at__lte=now + timedelta(days=14)).upcoming()
        )
        if not activities and not meetings:
            continue
        for meeting in meetings:
            meeting.group = group
            meeting.starts_local = meeting.starts_at.astimezone(group.zone)
        messages = [
            build_message(
                template="digest",
                context={"group": group, "activities": activities, "meetings": meetings},
                to=membership.user.email,
                user=membership.user,
            )
            for membership in memberships
        ]
        sent += send_all(messages)
    return sent
