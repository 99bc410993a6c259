"""Meetings: times in the group's zone, RSVP, attendance, action items carried over, emails."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from learning_groups import services
from learning_groups.models import ActionItem, Attendance, Meeting

from .dates import eu_spring_dst_sunday, next_year
from .factories import ActionItemFactory, LearningGroupFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


# A Monday next year (the day after the EU's spring DST change): never in the past.
MONDAY = eu_spring_dst_sunday() + timedelta(days=1)


def _schedule(client, **overrides):
    data = {
        "title": "Policy brief review",
        "starts_at": f"{MONDAY}T10:00",
        "ends_at": f"{MONDAY}T12:00",
        "place": "Bogotá",
        "online_link": "https://meet.example.org/co",
        "agenda": "1. Draft",
        **overrides,
    }
    return client.post("/groups/tanzania/meetings/new/", data)


def test_meeting_entered_in_group_time_zone_is_stored_in_utc(client, world):
    world.group.time_zone = "America/Bogota"
    world.group.save()
    client.force_login(world.coordinator)
    response = _schedule(client)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Policy brief review")
    assert meeting.starts_at == datetime.combine(MONDAY, time(15), tzinfo=UTC)  # Bogotá is UTC−5
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "10:00" in page and "America/Bogota" in page


def test_control_characters_in_a_meeting_are_refused_beside_the_field(client, world):
    """The kernel's check reaches every app's ModelForms (issue 10: control characters)."""
    client.force_login(world.coordinator)
    response = _schedule(client, title="Policy\x1b[31m review", place="Mwa\x0bnza")
    assert response.status_code == 200
    form = response.context["form"]
    assert "invisible control character (U+001B)" in str(form.errors["title"])
    assert "invisible control character (U+000B)" in str(form.errors["place"])
    assert not Meeting.objects.filter(title__startswith="Policy").exists()


def test_join_request_message_with_control_characters_is_refused(client, world):
    client.force_login(world.other_coordinator)
    response = client.post("/groups/tanzania/join/", {"message": "Hi\x07"}, follow=True)
    assert "invisible control character (U+0007)" in response.content.decode()
    assert not world.group.join_requests.filter(user=world.other_coordinator).exists()


def test_bad_meeting_input_is_kept_with_errors_beside_fields(client, world):
    client.force_login(world.coordinator)
    response = _schedule(client, ends_at=f"{MONDAY}T09:00", place="", online_link="")
    assert response.status_code == 200
    form = response.context["form"]
    assert "end after it starts" in str(form.errors)
    assert form["title"].value() == "Policy brief review"


def test_nonexistent_local_time_is_a_form_error_not_a_500(client, world):
    world.group.time_zone = "Europe/Madrid"
    world.group.save()
    client.force_login(world.coordinator)
    # 02:30 on the last Sunday of March does not exist in Madrid (02:00 jumps to 03:00).
    sunday = eu_spring_dst_sunday()
    response = _schedule(client, starts_at=f"{sunday}T02:30", ends_at=f"{sunday}T04:00")
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"]


def test_scheduling_emails_members_with_ics(client, world, django_capture_on_commit_callbacks):
    world.other_ms.emails = "none"
    world.other_ms.save()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _schedule(client)
    # The member who wants every email hears of it; the one who chose none does not, nor the actor.
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    message = mail.outbox[0]
    assert "New meeting: Policy brief review" in message.subject
    assert message.alternatives[0][1] == "text/html"
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]).startswith("Policy brief review")


def test_change_and_cancel_are_announced(world, django_capture_on_commit_callbacks):
    meeting = world.meeting
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            actor=world.coordinator,
            data={"starts_at": meeting.starts_at + timedelta(hours=1)},
        )
    subjects = [m.subject for m in mail.outbox]
    assert all(s.startswith("Changed:") for s in subjects) and len(subjects) == 2
    assert meeting.sequence == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=world.coordinator)
    assert all(m.subject.startswith("Cancelled:") for m in mail.outbox) and mail.outbox
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_minutes_only_edit_sends_no_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=world.meeting, actor=world.coordinator, data={"minutes": "Agreed."}
        )
    assert mail.outbox == []
    assert world.group.activities.filter(verb="minutes-recorded").exists()


def test_member_rsvps(client, world):
    client.force_login(world.member)
    client.post(
        f"/groups/tanzania/meetings/{world.meeting.pk}/respond/", {"response": "will-attend"}
    )
    attendance = Attendance.objects.get(meeting=world.meeting, user=world.member)
    assert attendance.response == "will-attend"
    page = client.get(world.meeting.get_absolute_url())
    assert page.context["page"].counts["will_attend"] == 1
    assert page.context["page"].invited_count == 2
    # A member cannot record themselves as having attended.
    client.post(f"/groups/tanzania/meetings/{world.meeting.pk}/respond/", {"response": "attended"})
    attendance.refresh_from_db()
    assert attendance.response == "will-attend"


def _attended(meeting):
    return set(
        Attendance.objects.filter(meeting=meeting, response="attended").values_list(
            "user", flat=True
        )
    )


def test_coordinator_records_attendance(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/groups/tanzania/meetings/{world.meeting.pk}/attendance/",
        {"attended": [world.member.pk, world.other_member.pk]},
    )
    assert response.status_code == 302
    assert _attended(world.meeting) == {world.member.pk, world.other_member.pk}


@pytest.mark.parametrize("hostile", ["²", "9" * 5000, "99999999999999999999", "-1", "outsider"])
def test_attendance_refuses_what_is_not_a_member_with_a_message(client, world, hostile):
    """attended=² or a 5,000-digit number answered 500 (int() on str.isdigit() values)."""
    if hostile == "outsider":
        hostile = str(world.outsider.pk)
    client.force_login(world.coordinator)
    response = client.post(
        f"/groups/tanzania/meetings/{world.meeting.pk}/attendance/",
        {"attended": [str(world.member.pk), hostile]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick only people from the group" in html
    # The valid tick is kept on the page; nothing is recorded.
    pk = world.member.pk
    assert re.search(rf'value="{pk}"\s+id="attended-{pk}"\s+checked', html)
    assert _attended(world.meeting) == set()


def test_action_item_assigned_emails_owner_even_if_they_chose_no_email(
    client, world, django_capture_on_commit_callbacks
):
    world.member_ms.emails = "none"
    world.member_ms.save()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/groups/tanzania/meetings/{world.meeting.pk}/actions/new/",
            {
                "what": "Collect licence fees",
                "owner": world.member.pk,
                "due_date": f"{next_year()}-01-15",
            },
        )
    item = ActionItem.objects.get(what="Collect licence fees")
    assert item.owner == world.member and item.meeting == world.meeting
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert "Collect licence fees" in mail.outbox[0].body


def test_action_owner_must_be_a_member(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/groups/tanzania/meetings/{world.meeting.pk}/actions/new/",
        {"what": "X", "owner": world.outsider.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]


def test_member_ticks_off_own_item_only(client, world):
    own = ActionItemFactory(group=world.group, owner=world.member)
    client.force_login(world.member)
    client.post(f"/groups/tanzania/actions/{own.pk}/status/", {"status": "done"})
    own.refresh_from_db()
    assert own.status == "done" and own.closed_at is not None
    response = client.post(f"/groups/tanzania/actions/{world.item.pk}/status/", {"status": "done"})
    assert response.status_code == 404


def test_open_items_carry_over_into_the_next_meeting(client, world):
    past = MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(days=30),
        status="held",
    )
    carried = ActionItemFactory(group=world.group, meeting=past, what="Draft the brief")
    ActionItemFactory(group=world.group, meeting=past, what="Finished thing", status="done")
    client.force_login(world.member)
    page = client.get(world.meeting.get_absolute_url())
    assert page.context["page"].carried_over == [carried]
    html = page.content.decode()
    assert "Open action items carried over" in html and "Draft the brief" in html
    assert "Finished thing" not in html


def test_last_coordinator_rule_does_not_block_other_groups(world):
    group = LearningGroupFactory()
    solo = MembershipFactory(group=group, role="coordinator")
    MembershipFactory(group=world.group, user=solo.user, role="coordinator")
    with pytest.raises(Exception):  # noqa: B017 - still the only coordinator of its own group
        services.membership_change_role(membership=solo, role="member", actor=solo.user)


def test_my_groups_dashboard(client, world):
    MeetingFactory(group=world.group, title="Soon")
    ActionItemFactory(group=world.group, owner=world.member, what="Mine to do")
    client.force_login(world.member)
    html = client.get("/groups/mine/").content.decode()
    assert "Tanzania Learning Group" in html and "Soon" in html and "Mine to do" in html
    assert "Peru Learning Group" not in html


def test_weekly_digest(world, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    world.member_ms.emails = "weekly"
    world.member_ms.save()
    services.meeting_update(
        meeting=world.meeting, actor=world.coordinator, data={"minutes": "Agreed."}
    )
    with django_capture_on_commit_callbacks(execute=True):  # each digest is queued for sending
        call_command("send_group_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert "This week in Tanzania Learning Group" in mail.outbox[0].subject
    assert "recorded minutes" in mail.outbox[0].body
