"""iCalendar output parsed back with icalendar: right instants across a DST change, links."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from .dates import eu_spring_dst_sunday
from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def at(day: date, hour: int, zone) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def _events(content: bytes) -> dict:
    return {str(e["summary"]).split(" (")[0]: e for e in Calendar.from_ical(content).walk("VEVENT")}


def test_group_calendar_keeps_local_hour_across_the_march_dst_change(client, world):
    world.group.time_zone = "Europe/Madrid"
    world.group.save()
    # 10:00 Madrid time both days; clocks go forward on the Sunday between (next year's).
    sunday = eu_spring_dst_sunday()
    saturday, monday = sunday - timedelta(days=1), sunday + timedelta(days=1)
    before = MeetingFactory(
        group=world.group,
        title="Before",
        starts_at=at(saturday, 10, MADRID),
        ends_at=at(saturday, 12, MADRID),
    )
    after = MeetingFactory(
        group=world.group,
        title="After",
        starts_at=at(monday, 10, MADRID),
        ends_at=at(monday, 12, MADRID),
    )
    # One meeting spans the switch itself: 01:00–04:00 local is only two hours long.
    spanning = MeetingFactory(
        group=world.group,
        title="Spanning",
        starts_at=at(sunday, 1, MADRID),
        ends_at=at(sunday, 4, MADRID),
    )
    client.force_login(world.member)
    response = client.get("/groups/tanzania/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)

    assert events["Before"]["dtstart"].dt == at(saturday, 9, UTC)  # UTC+1
    assert events["After"]["dtstart"].dt == at(monday, 8, UTC)  # UTC+2
    assert events["After"]["dtstart"].dt.astimezone(MADRID).hour == 10
    assert events["Before"]["dtstart"].dt.astimezone(MADRID).hour == 10
    span = events["Spanning"]
    assert span["dtstart"].dt == at(sunday, 0, UTC)
    assert span["dtend"].dt == at(sunday, 2, UTC)
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
    monday = eu_spring_dst_sunday() + timedelta(days=1)  # any day next year: Bogotá has no DST
    MeetingFactory(
        group=world.group,
        title="Andes",
        starts_at=at(monday, 9, bogota),
        ends_at=at(monday, 11, bogota),
    )
    response = client.get(world.member_ms.calendar_url)
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-timezone"]) == "America/Bogota"
    assert _events(response.content)["Andes"]["dtstart"].dt == at(monday, 14, UTC)


def test_feed_leaves_out_meetings_older_than_a_year(client, world):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=400)
    MeetingFactory(
        group=world.group, title="Ancient", starts_at=old, ends_at=old + timedelta(hours=1)
    )
    events = _events(client.get(world.member_ms.calendar_url).content)
    assert "Ancient" not in events and world.meeting.title in events
