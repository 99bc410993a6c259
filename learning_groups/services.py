"""Writes in learning groups: membership, invitations, meetings, actions, documents (all atomic).

Every service takes the acting user (`actor`, or `user` when they act for themselves), checks
them with learning_groups.rules (404 for anyone not entitled, as the pages answer), records
what they did as group activity, and queues its emails with transaction.on_commit so that
nothing is sent for a write that rolled back.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asmhub.access import is_curator, require
from asmhub.uploads import check_upload

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
from .rules import (
    can_change_action,
    can_delete_document,
    can_remove,
    require_coordinator,
    require_member,
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
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    require_coordinator(actor, membership.group_id)
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
        actor=actor,
        verb=Activity.Verb.ROLE_CHANGED,
        subject=f"{_name(membership.user)}: {old} → {membership.get_role_display()}",
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Coordinators remove members; any member may remove themselves (leave the group)."""
    require(can_remove(require_member(actor, membership.group_id), membership))
    _ensure_another_coordinator(membership)
    leaving = actor.pk == membership.user_id
    _record(
        group=membership.group,
        actor=actor,
        verb=Activity.Verb.LEFT if leaving else Activity.Verb.REMOVED,
        subject=_name(membership.user),
    )
    membership.delete()


@transaction.atomic
def membership_update_settings(*, actor, membership: Membership, emails: str) -> Membership:
    """A member's own choice of emails (nobody else's)."""
    require(require_member(actor, membership.group_id).pk == membership.pk)
    membership.emails = emails
    membership.full_clean()
    membership.save(update_fields=["emails"])
    return membership


@transaction.atomic
def membership_reset_calendar_token(*, actor, membership: Membership) -> Membership:
    """A new secret calendar URL; the old one stops working at once (the member's own)."""
    require(require_member(actor, membership.group_id).pk == membership.pk)
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
def invitation_send(*, actor, group, email: str, role: str = "member", message: str = ""):
    require_coordinator(actor, group.pk)
    email = email.strip().lower()
    if Membership.objects.filter(group=group, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this group.") % {"email": email}}
        )
    invitation = Invitation(group=group, email=email, role=role, message=message, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    # Recent activity is read by every member (and mailed in digests): the address is shown
    # masked; coordinators see it in full on the invitations page.
    _record(group=group, actor=actor, verb=Activity.Verb.INVITED, subject=mask_email(email))
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
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    require_coordinator(actor, invitation.group_id)
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])
    return invitation


# ------------------------------------------------------------------ join requests


@transaction.atomic
def join_request_create(*, group, user, message: str = "") -> JoinRequest:
    """A signed-in person asks to join (for themselves)."""
    require(user is not None and user.is_authenticated and user.is_active)
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
def join_request_decide(*, actor, join_request: JoinRequest, approve: bool) -> JoinRequest:
    require_coordinator(actor, join_request.group_id)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    _record(
        group=join_request.group,
        actor=actor,
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
def meeting_schedule(*, actor, group, data: dict) -> Meeting:
    require_coordinator(actor, group.pk)
    meeting = Meeting(group=group, created_by=actor, **data)
    meeting.full_clean()
    meeting.save()
    _record(
        group=group,
        actor=actor,
        verb=Activity.Verb.MEETING_SCHEDULED,
        subject=meeting.title,
        link=meeting.get_absolute_url(),
    )
    _notify_meeting(meeting, "scheduled", actor)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict) -> Meeting:
    """Edit a meeting (time, place, agenda, status, minutes); members hear of real changes."""
    require_coordinator(actor, meeting.group_id)
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
            actor=actor,
            verb=Activity.Verb.MINUTES_RECORDED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
    if "status" in changed and meeting.status == Meeting.Status.CANCELLED:
        _record(
            group=meeting.group,
            actor=actor,
            verb=Activity.Verb.MEETING_CANCELLED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
        _notify_meeting(meeting, "cancelled", actor)
    elif changed & NOTIFY_FIELDS and meeting.status == Meeting.Status.PLANNED:
        _record(
            group=meeting.group,
            actor=actor,
            verb=Activity.Verb.MEETING_CHANGED,
            subject=meeting.title,
            link=meeting.get_absolute_url(),
        )
        _notify_meeting(meeting, "changed", actor)
    return meeting


def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    return meeting_update(actor=actor, meeting=meeting, data={"status": Meeting.Status.CANCELLED})


MEMBER_RESPONSES = {Attendance.Response.WILL_ATTEND, Attendance.Response.APOLOGIES}


@transaction.atomic
def attendance_respond(*, meeting: Meeting, user, response: str) -> Attendance:
    """A member's RSVP (their own): will attend, or apologies."""
    require_member(user, meeting.group_id)
    if response not in MEMBER_RESPONSES:
        raise ValidationError(_("Answer “will attend” or “apologies”."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, user=user, defaults={"response": response}
    )
    return attendance


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attended_user_ids) -> int:
    """The coordinator's record of who attended; others keep their RSVP."""
    require_coordinator(actor, meeting.group_id)
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
    *, actor, group, what: str, owner=None, due_date=None, meeting=None
) -> ActionItem:
    require_coordinator(actor, group.pk)
    require(meeting is None or meeting.group_id == group.pk)  # never another group's meeting
    if owner is not None and not Membership.objects.filter(group=group, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the group.")})
    item = ActionItem(
        group=group,
        meeting=meeting,
        what=what,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    _record(
        group=group,
        actor=actor,
        verb=Activity.Verb.ACTION_ASSIGNED,
        subject=f"{what} ({_name(owner)})" if owner else what,
        link=meeting.get_absolute_url() if meeting else "",
    )
    if owner is not None:
        transaction.on_commit(lambda: tasks.send_action_assigned.enqueue(item.pk))
    return item


@transaction.atomic
def action_item_set_status(*, actor, item: ActionItem, status: str) -> ActionItem:
    """Owners tick off their own items; coordinators may close or reopen any."""
    require(can_change_action(require_member(actor, item.group_id), item))
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Choose open, done or dropped."))
    item.status = status
    item.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "closed_at"])
    if status != ActionItem.Status.OPEN:
        _record(
            group=item.group,
            actor=actor,
            verb=Activity.Verb.ACTION_CLOSED,
            subject=f"{item.what} ({item.get_status_display()})",
        )
    return item


# ------------------------------------------------------------------ documents


@transaction.atomic
def document_upload(*, actor, group, title: str, upload) -> GroupDocument:
    """A member stores a checked working document; if anything fails, nothing remains."""
    require_member(actor, group.pk)
    checked = check_upload(upload)
    document = GroupDocument(
        group=group,
        title=title,
        original_name=(getattr(upload, "name", "") or "document")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    document.checked_extension = checked.extension
    document.full_clean(exclude=["file"])
    try:
        document.file.save(upload.name, upload, save=False)
        document.save()
        _record(
            group=group,
            actor=actor,
            verb=Activity.Verb.DOCUMENT_UPLOADED,
            subject=title,
        )
    except Exception:
        if document.file.name:
            document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_delete(*, actor, document: GroupDocument) -> None:
    """Coordinators, or whoever uploaded it, delete a document; the bytes go once committed."""
    require(can_delete_document(require_member(actor, document.group_id), document))
    _delete_document(actor=actor, document=document)


@transaction.atomic
def document_remove(*, actor, document: GroupDocument) -> None:
    """A curator removes a document from the admin (moderation; curators are not members)."""
    require(is_curator(actor))
    _delete_document(actor=actor, document=document)


def _delete_document(*, actor, document: GroupDocument) -> None:
    storage, name = document.file.storage, document.file.name
    _record(
        group=document.group,
        actor=actor,
        verb=Activity.Verb.DOCUMENT_DELETED,
        subject=document.title,
    )
    document.delete()
    # A rollback keeps the row, so the file may only go after the commit.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def group_delete(*, actor, group) -> None:
    """A curator deletes a whole group; its documents' stored files go once that commits."""
    require(is_curator(actor))
    storage = GroupDocument._meta.get_field("file").storage
    names = [name for name in group.documents.values_list("file", flat=True) if name]
    group.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@transaction.atomic
def document_publish(*, actor, document: GroupDocument, data: dict) -> GroupOutput:
    """Send a group document to the library as a group output; it waits for curators' review."""
    from resources.services import NewFile, resource_submit

    require_coordinator(actor, document.group_id)
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
            submitted_by=actor,
            data=resource_data,
            files=[NewFile(upload=upload, label=document.title)],
        )
    finally:
        document.file.close()
    output = GroupOutput.objects.create(document=document, resource=resource, published_by=actor)
    _record(
        group=group,
        actor=actor,
        verb=Activity.Verb.DOCUMENT_PUBLISHED,
        subject=document.title,
    )
    return output
