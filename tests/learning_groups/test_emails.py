"""Group emails: one queued message per recipient, in that person's language."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from learning_groups import tasks
from tests.factories import ProfileFactory
from tests.learning_groups.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_each_member_gets_the_notice_in_their_language(world, django_capture_on_commit_callbacks):
    ProfileFactory(user=world.member, preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_meeting_notice.call(world.meeting.pk, "scheduled", world.coordinator.pk)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    title = world.meeting.title
    assert subjects["member@example.org"].startswith(f"Nueva reunión: {title}")
    assert subjects["other@example.org"].startswith(f"New meeting: {title}")
    assert all(m.attachments[0][0] == "meeting.ics" for m in mail.outbox)


def test_a_down_server_retries_each_recipient_alone(
    world, settings, smtp_down, django_capture_on_commit_callbacks
):
    """Sending is one task per message: a failure never re-sends to those who got it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.send_meeting_notice.call(world.meeting.pk, "scheduled", world.coordinator.pk)
    rows = DBTaskResult.objects.filter(task_path="asmhub.emails.send_email")
    assert queued == rows.count() == 2
    assert sorted(row.args_kwargs["args"][0]["to"][0] for row in rows) == [
        "member@example.org",
        "other@example.org",
    ]


def test_an_invitation_is_in_the_invitees_language_else_the_inviters(
    world, django_capture_on_commit_callbacks
):
    ProfileFactory(user=world.coordinator, preferred_language="fr")
    ProfileFactory(user=world.outsider, preferred_language="es")
    no_account = InvitationFactory(group=world.group, invited_by=world.coordinator)
    has_account = InvitationFactory(
        group=world.group, invited_by=world.coordinator, email=world.outsider.email
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_invitation.call(no_account.pk)
        tasks.send_invitation.call(has_account.pk)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[no_account.email].startswith("Vous êtes invité")
    assert subjects[world.outsider.email].startswith("Invitación a unirse")
