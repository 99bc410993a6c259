"""Writes in learning groups: membership, invitations, meetings, actions, documents (all atomic).

Every service takes the acting user, records what they did as group activity, and queues its
emails with transaction.on_commit so that nothing is sent for a write that rolled back.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resources.uploads import check_upload

from . import tasks
from .models import (
    ActionItem,
    Activity,
    Attendance,
    GroupDocument,
    GroupOutput,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
)


def _record(*, group, actor, verb, subject="", link=""):
    Activity.objects.create(group=group, actor=actor, verb=verb, subject=subject[:300], link=link)


def mask_email(email: str) -> str:
    """An address masked, "amani@example.org" → "a…@example.org": recognisable, not usable."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else f"{local[:1]}…"


def _name(user) -> str:
    return user.public_name if user is not None else ""


# ------------------------------------------------------------------ membership


def _ensure_another_coordinator(membership: Membership) -> None:
    """A group always keeps at least one coordinator."""
    if not membership.is_coordinator:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(group_id=membership.group_id, role=Membership.Role.COORDINATOR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "%(name)s is the group's only coordinator. Make another member a coordinator "
                "first: a group always keeps at least one coordinator."
            )
            % {"name": _name(membership.user)},
            code="last_coordinator",
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, changed_by) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose coordinator or member."), code="role")
    if membership.role == role:
        return membership
    if role != Membership.Role.COORDINATOR:
        _ensure_another_coordinator(membership)
    old = membership.get_role_display()
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    _record(
        group=membership.group,
        actor=changed_by,
        verb=Activity.Verb.ROLE_CHANGED,
        subject=f"{_name(membership.user)}: {old} → {membership.get_role_display()}",
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> None:
    _ensure_another_coordinator(membership)
    leaving = removed_by is not None and removed_by.pk == membership.user_id
    _record(
        group=membership.group,
        actor=removed_by,
        verb=Activity.Verb.LEFT if leaving else Activity.Verb.REMOVED,
        subject=_name(membership.user),
    )
    membership.delete()


@transaction.atomic
def membership_update_settings(*, membership: Membership, emails: str) -> Membership:
    membership.emails = emails
    membership.full_clean()
    membership.save(update_fields=["emails"])
    return membership


@transaction.atomic
def membership_reset_calendar_token(*, membership: Membership) -> Membership:
    """A new secret calendar URL; the old one stops working at once."""
    from .models import new_calendar_token

    membership.calendar_token = new_calendar_token()
    membership.save(update_fields=["calendar_token"])
    return membership


def _join(*, group, user, role=Membership.Role.MEMBER, actor=None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"role": role}
    )
    if created:
        _record(group=group, actor=user, verb=Activity.Verb.JOINED, subject=_name(user))
    return membership


# ------------------------------------------------------------------ invitations


@transaction.atomic
def invitation_send(*, group, invited_by, email: str, role: str = "member", message: str = ""):
    email = email.strip().lower()
    if Membership.objects.filter(group=group, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this group.") % {"email": email}}
        )
    invitation = Invitation(
        group=group, email=email, role=role, message=message, invited_by=invited_by
    )
    invitation.full_clean()
    invitation.save()
    # Recent activity is read by every member (and mailed in digests): the address is shown
    # masked; coordinators see it in full on the invitations page.
    _record(group=group, actor=invited_by, verb=Activity.Verb.INVITED, subject=mask_email(email))
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(invitation.pk))
    return invitation


def invitation_problem(*, invitation: Invitation | None, user) -> str | None:
    """Why this user cannot accept this invitation (a code the page explains), or None."""
    if invitation is None:
        return "invalid"
    if invitation.is_used:
        if user.is_authenticated and invitation.accepted_by_id == user.pk:
            return "already_member"
        return "used"
    if invitation.revoked:
        return "revoked"
    if invitation.is_expired:
        return "expired"
    if user.is_authenticated and not _has_verified_email(user, invitation.email):
        return "someone_else"
    return None


def _has_verified_email(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    # Locked so that two clicks on the same link cannot both use it.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation=invitation, user=user)
    if problem:
        raise ValidationError(_("This invitation cannot be used."), code=problem)
    membership = _join(group=invitation.group, user=user, role=invitation.role)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by) -> Invitation:
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])
    return invitation


# ------------------------------------------------------------------ join requests


@transaction.atomic
def join_request_create(*, group, user, message: str = "") -> JoinRequest:
    if not group.accepts_join_requests:
        raise ValidationError(_("This group does not take join requests; ask a coordinator."))
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(_("You are already a member of this group."))
    if JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("You have already asked to join; a coordinator will answer."))
    join_request = JoinRequest(group=group, user=user, message=message)
    join_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError as error:  # a double click raced past the check above
        raise ValidationError(_("You have already asked to join.")) from error
    transaction.on_commit(lambda: tasks.send_join_request.enqueue(join_request.pk))
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, decided_by, approve: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = decided_by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    _record(
        group=join_request.group,
        actor=decided_by,
        verb=Activity.Verb.REQUEST_DECIDED,
        subject=f"{_name(join_request.user)}: {join_request.get_status_display()}",
    )
    if approve:
        _join(group=join_request.group, user=join_request.user)
    transaction.on_commit(lambda: tasks.send_join_decision.enqueue(join_request.pk))
    return join_request


# ------------------------------------------------------------------ meetings

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "online_link", "agenda"]
NOTIFY_FIELDS = {"title", "starts_at", "ends_at", "place", "online_link"}


def _notify_meeting(meeting, change, actor):
    transaction.on_commit(
        lambda: tasks.send_meeting_notice.enqueue(meeting.pk, change, actor.pk if actor else None)
    )


@transaction.atomic
def meeting_schedule(*, group, scheduled_by, data: dict) -> Meeting:
    meeting = Meeting(group=group, created_by=scheduled_by, **data)
    meeting.full_clean()
    meeting.save()
    _record(
        group=group,
        actor=scheduled_by,
        verb=Activity.Verb.MEETING_SCHEDULED,
        subject=meeting.title,
        link=meeting.get_absolute_url(),
    )
    _notify_meeting(meeting, "scheduled", scheduled_by)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, updated_by, data: dict) -> Meeting:
    """Edit a meeting (time, place, agenda, status, minutes); members hear of real changes."""
    before = {name: getattr(meeting, name) for name in data}
    for name, value in data.items():
        setattr(meeting, name, value)
    changed = {name for name in data if before[name] != getattr(meeting, name)}
    if not changed:
        return meeting
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    if "minutes" in changed and meeting.minutes:
        _record(
            group=meeting.group,
            actor=updated_by,
            verb=Activity.Verb.MINUTES_RECORDED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
    if "status" in changed and meeting.status == Meeting.Status.CANCELLED:
        _record(
            group=meeting.group,
            actor=updated_by,
            verb=Activity.Verb.MEETING_CANCELLED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
        _notify_meeting(meeting, "cancelled", updated_by)
    elif changed & NOTIFY_FIELDS and meeting.status == Meeting.Status.PLANNED:
        _record(
            group=meeting.group,
            actor=updated_by,
            verb=Activity.Verb.MEETING_CHANGED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
        _notify_meeting(meeting, "changed", updated_by)
    return meeting


def meeting_cancel(*, meeting: Meeting, cancelled_by) -> Meeting:
    return meeting_update(
        meeting=meeting, updated_by=cancelled_by, data={"status": Meeting.Status.CANCELLED}
    )


MEMBER_RESPONSES = {Attendance.Response.WILL_ATTEND, Attendance.Response.APOLOGIES}


@transaction.atomic
def attendance_respond(*, meeting: Meeting, user, response: str) -> Attendance:
    """A member's RSVP: will attend, or apologies."""
    if response not in MEMBER_RESPONSES:
        raise ValidationError(_("Answer “will attend” or “apologies”."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, user=user, defaults={"response": response}
    )
    return attendance


@transaction.atomic
def attendance_record(*, meeting: Meeting, recorded_by, attended_user_ids) -> int:
    """The coordinator's record of who attended; others keep their RSVP."""
    member_ids = set(
        Membership.objects.filter(group_id=meeting.group_id).values_list("user_id", flat=True)
    )
    attended = set(attended_user_ids) & member_ids
    Attendance.objects.filter(meeting=meeting, response=Attendance.Response.ATTENDED).exclude(
        user_id__in=attended
    ).update(response=Attendance.Response.WILL_ATTEND)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=uid, response="attended") for uid in attended],
        update_conflicts=True,
        unique_fields=["meeting", "user"],
        update_fields=["response"],
    )
    return len(attended)


# ------------------------------------------------------------------ action items


@transaction.atomic
def action_item_create(
    *, group, created_by, what: str, owner=None, due_date=None, meeting=None
) -> ActionItem:
    if owner is not None and not Membership.objects.filter(group=group, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the group.")})
    item = ActionItem(
        group=group,
        meeting=meeting,
        what=what,
        owner=owner,
        due_date=due_date,
        created_by=created_by,
    )
    item.full_clean()
    item.save()
    _record(
        group=group,
        actor=created_by,
        verb=Activity.Verb.ACTION_ASSIGNED,
        subject=f"{what} ({_name(owner)})" if owner else what,
        link=meeting.get_absolute_url() if meeting else "",
    )
    if owner is not None:
        transaction.on_commit(lambda: tasks.send_action_assigned.enqueue(item.pk))
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, changed_by, membership, status: str) -> ActionItem:
    """Owners tick off their own items; coordinators may close or reopen any."""
    if not (membership.is_coordinator or item.owner_id == changed_by.pk):
        raise ValidationError(_("Only the item's owner or a coordinator can change it."))
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Choose open, done or dropped."))
    item.status = status
    item.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "closed_at"])
    if status != ActionItem.Status.OPEN:
        _record(
            group=item.group,
            actor=changed_by,
            verb=Activity.Verb.ACTION_CLOSED,
            subject=f"{item.what} ({item.get_status_display()})",
        )
    return item


# ------------------------------------------------------------------ documents


@transaction.atomic
def document_upload(*, group, uploaded_by, title: str, upload) -> GroupDocument:
    """Store a checked working document; if anything fails, no record and no file remain."""
    checked = check_upload(upload)
    document = GroupDocument(
        group=group,
        title=title,
        original_name=(getattr(upload, "name", "") or "document")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=uploaded_by,
    )
    document.checked_extension = checked.extension
    document.full_clean(exclude=["file"])
    try:
        document.file.save(upload.name, upload, save=False)
        document.save()
        _record(
            group=group,
            actor=uploaded_by,
            verb=Activity.Verb.DOCUMENT_UPLOADED,
            subject=title,
        )
    except Exception:
        if document.file.name:
            document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_delete(*, document: GroupDocument, deleted_by, membership) -> None:
    """Coordinators, or whoever uploaded it, delete a document; the bytes go once committed."""
    if not (membership.is_coordinator or document.uploaded_by_id == deleted_by.pk):
        raise ValidationError(_("Only a coordinator or the uploader can delete this document."))
    storage, name = document.file.storage, document.file.name
    _record(
        group=document.group,
        actor=deleted_by,
        verb=Activity.Verb.DOCUMENT_DELETED,
        subject=document.title,
    )
    document.delete()
    # A rollback keeps the row, so the file may only go after the commit.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def document_publish(*, document: GroupDocument, published_by, data: dict) -> GroupOutput:
    """Send a group document to the library as a group output; it waits for curators' review."""
    from resources.services import NewFile, resource_submit

    if GroupOutput.objects.filter(document=document).exists():
        raise ValidationError(_("This document has already been published to the library."))
    group = document.group
    resource_data = {
        "summary": data.get("summary", ""),
        "title": data.get("title") or document.title,
        "resource_type": data.get("resource_type", "report"),
        "authors": group.name,
        "year": timezone.now().year,
        "countries": [group.country],
        **{k: v for k, v in data.items() if k not in {"title", "summary", "resource_type"}},
    }
    resource_data["authors"] = group.name  # the group is credited, whatever else was sent
    document.file.open("rb")
    try:
        upload = File(document.file.file, name=document.original_name)
        resource = resource_submit(
            submitted_by=published_by,
            data=resource_data,
            files=[NewFile(upload=upload, label=document.title)],
        )
    finally:
        document.file.close()
    output = GroupOutput.objects.create(
        document=document, resource=resource, published_by=published_by
    )
    _record(
        group=group,
        actor=published_by,
        verb=Activity.Verb.DOCUMENT_PUBLISHED,
        subject=document.title,
    )
    return output
