"""iCalendar output parsed back with icalendar: right instants across a DST change, links."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def _events(content: bytes) -> dict:
    return {str(e["summary"]).split(" (")[0]: e for e in Calendar.from_ical(content).walk("VEVENT")}


def test_group_calendar_keeps_local_hour_across_the_march_dst_change(client, world):
    world.group.time_zone = "Europe/Madrid"
    world.group.save()
    # 10:00 Madrid time both days; clocks go forward on Sunday 28 March 2027.
    before = MeetingFactory(
        group=world.group,
        title="Before",
        starts_at=datetime(2027, 3, 27, 10, 0, tzinfo=MADRID),
        ends_at=datetime(2027, 3, 27, 12, 0, tzinfo=MADRID),
    )
    after = MeetingFactory(
        group=world.group,
        title="After",
        starts_at=datetime(2027, 3, 29, 10, 0, tzinfo=MADRID),
        ends_at=datetime(2027, 3, 29, 12, 0, tzinfo=MADRID),
    )
    # One meeting spans the switch itself: 01:00–04:00 local is only two hours long.
    spanning = MeetingFactory(
        group=world.group,
        title="Spanning",
        starts_at=datetime(2027, 3, 28, 1, 0, tzinfo=MADRID),
        ends_at=datetime(2027, 3, 28, 4, 0, tzinfo=MADRID),
    )
    client.force_login(world.member)
    response = client.get("/groups/tanzania/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)

    assert events["Before"]["dtstart"].dt == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # UTC+1
    assert events["After"]["dtstart"].dt == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # UTC+2
    assert events["After"]["dtstart"].dt.astimezone(MADRID).hour == 10
    assert events["Before"]["dtstart"].dt.astimezone(MADRID).hour == 10
    span = events["Spanning"]
    assert span["dtstart"].dt == datetime(2027, 3, 28, 0, 0, tzinfo=UTC)
    assert span["dtend"].dt == datetime(2027, 3, 28, 2, 0, tzinfo=UTC)
    assert str(span["uid"]) == spanning.uid
    assert before.uid != after.uid


def test_meeting_ics_carries_online_link_and_page_link(client, world):
    client.force_login(world.member)
    response = client.get(f"/groups/tanzania/meetings/{world.meeting.pk}/meeting.ics")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    page = f"https://hub.example.org/groups/tanzania/meetings/{world.meeting.pk}/"
    assert str(event["url"]) == page
    assert page in str(event["description"])
    assert "https://meet.example.org/asm" in str(event["description"])
    assert "https://meet.example.org/asm" in str(event["location"])
    assert event["dtstart"].dt == world.meeting.starts_at.replace(microsecond=0)
    assert response["Cache-Control"] == "private, no-store"


def test_bogota_group_without_dst(client, world):
    world.group.time_zone = "America/Bogota"
    world.group.save()
    bogota = ZoneInfo("America/Bogota")
    MeetingFactory(
        group=world.group,
        title="Andes",
        starts_at=datetime(2027, 3, 29, 9, 0, tzinfo=bogota),
        ends_at=datetime(2027, 3, 29, 11, 0, tzinfo=bogota),
    )
    response = client.get(world.member_ms.calendar_url)
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-timezone"]) == "America/Bogota"
    assert _events(response.content)["Andes"]["dtstart"].dt == datetime(
        2027, 3, 29, 14, 0, tzinfo=UTC
    )


def test_feed_leaves_out_meetings_older_than_a_year(client, world):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=400)
    MeetingFactory(
        group=world.group, title="Ancient", starts_at=old, ends_at=old + timedelta(hours=1)
    )
    events = _events(client.get(world.member_ms.calendar_url).content)
    assert "Ancient" not in events and world.meeting.title in events
