"""Every learning-group service checks its acting user itself (404 like the pages), so the
admin, tasks and future APIs cannot go around the rules the views apply."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from learning_groups import services
from learning_groups.models import (
    ActionItem,
    Activity,
    GroupDocument,
    GroupOutput,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
)
from tests.factories import CuratorFactory

pytestmark = pytest.mark.django_db

# other_coordinator coordinates another group: being a coordinator somewhere is not enough.
NOT_COORDINATORS = ["member", "outsider", "other_coordinator", "curator"]
NOT_MEMBERS = ["outsider", "other_coordinator", "curator"]


def _who(world, role):
    return CuratorFactory() if role == "curator" else getattr(world, role)


def _later():
    return timezone.now() + datetime.timedelta(days=30)


COORDINATOR_SERVICES = {
    "change role": lambda w, a: services.membership_change_role(
        actor=a, membership=w.other_ms, role="coordinator"
    ),
    "remove member": lambda w, a: services.membership_remove(actor=a, membership=w.other_ms),
    "invite": lambda w, a: services.invitation_send(
        actor=a, group=w.group, email="new@example.org"
    ),
    "revoke invitation": lambda w, a: services.invitation_revoke(actor=a, invitation=w.invitation),
    "decide join request": lambda w, a: services.join_request_decide(
        actor=a, join_request=w.join_request, approve=True
    ),
    "schedule meeting": lambda w, a: services.meeting_schedule(
        actor=a,
        group=w.group,
        data={"title": "Sneaky", "starts_at": _later(), "ends_at": _later()},
    ),
    "update meeting": lambda w, a: services.meeting_update(
        actor=a, meeting=w.meeting, data={"title": "Changed"}
    ),
    "cancel meeting": lambda w, a: services.meeting_cancel(actor=a, meeting=w.meeting),
    "record attendance": lambda w, a: services.attendance_record(
        actor=a, meeting=w.meeting, attended_user_ids=[w.member.pk]
    ),
    "create action": lambda w, a: services.action_item_create(
        actor=a, group=w.group, what="Sneaky action"
    ),
    "close someone else's action": lambda w, a: services.action_item_set_status(
        actor=a, item=w.item, status="done"
    ),
    "delete someone else's document": lambda w, a: services.document_delete(
        actor=a, document=w.document
    ),
    "publish document": lambda w, a: services.document_publish(
        actor=a, document=w.document, data={"summary": "x"}
    ),
}


def _state(world):
    """Everything a refused service could have changed."""
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Invitation.objects.order_by("pk").values_list("pk", "revoked")),
        list(JoinRequest.objects.values_list("pk", "status")),
        list(Meeting.objects.order_by("pk").values_list("pk", "title", "status", "sequence")),
        list(ActionItem.objects.order_by("pk").values_list("pk", "status")),
        list(GroupDocument.objects.values_list("pk", flat=True)),
        GroupOutput.objects.count(),
        Activity.objects.count(),
        world.meeting.attendances.count(),
    )


@pytest.mark.parametrize("role", NOT_COORDINATORS)
@pytest.mark.parametrize("name", list(COORDINATOR_SERVICES))
def test_coordinator_services_refuse_everyone_else(world, name, role):
    before = _state(world)
    with pytest.raises(Http404):
        COORDINATOR_SERVICES[name](world, _who(world, role))
    assert _state(world) == before


def test_coordinator_cannot_attach_an_action_to_another_groups_meeting(world):
    from tests.learning_groups.factories import MeetingFactory

    elsewhere = MeetingFactory(group=world.other_group)
    with pytest.raises(Http404):
        services.action_item_create(
            actor=world.coordinator, group=world.group, meeting=elsewhere, what="Cross-group"
        )
    assert not ActionItem.objects.filter(what="Cross-group").exists()


MEMBER_SERVICES = {
    "respond": lambda w, a: services.attendance_respond(
        meeting=w.meeting, user=a, response="will-attend"
    ),
    "upload document": lambda w, a: services.document_upload(
        actor=a,
        group=w.group,
        title="Sneaky",
        upload=SimpleUploadedFile("s.txt", b"sneaky\n"),
    ),
}


@pytest.mark.parametrize("role", NOT_MEMBERS)
@pytest.mark.parametrize("name", list(MEMBER_SERVICES))
def test_member_services_refuse_non_members(world, name, role):
    before = _state(world)
    with pytest.raises(Http404):
        MEMBER_SERVICES[name](world, _who(world, role))
    assert _state(world) == before
    assert not GroupDocument.objects.filter(title="Sneaky").exists()


def test_members_change_only_their_own_settings(world):
    with pytest.raises(Http404):
        services.membership_update_settings(
            actor=world.member, membership=world.other_ms, emails="none"
        )
    with pytest.raises(Http404):
        services.membership_reset_calendar_token(
            actor=world.coordinator, membership=world.member_ms
        )
    world.other_ms.refresh_from_db()
    assert world.other_ms.emails == "every"
    token = world.member_ms.calendar_token
    world.member_ms.refresh_from_db()
    assert world.member_ms.calendar_token == token


def test_a_member_who_left_can_no_longer_act(world):
    """Rights follow current membership: after leaving, the same services refuse."""
    services.membership_remove(actor=world.member, membership=world.member_ms)
    with pytest.raises(Http404):
        services.attendance_respond(meeting=world.meeting, user=world.member, response="apologies")
    with pytest.raises(Http404):
        services.document_upload(
            actor=world.member,
            group=world.group,
            title="After leaving",
            upload=SimpleUploadedFile("s.txt", b"late\n"),
        )


def test_the_right_actors_still_succeed(world):
    services.action_item_set_status(actor=world.coordinator, item=world.item, status="done")
    own = services.document_upload(
        actor=world.member,
        group=world.group,
        title="Mine",
        upload=SimpleUploadedFile("m.txt", b"notes\n"),
    )
    services.document_delete(actor=world.member, document=own)
    services.membership_remove(actor=world.other_member, membership=world.other_ms)  # leaving
    assert not Membership.objects.filter(pk=world.other_ms.pk).exists()
