"""Meetings as iCalendar (RFC 5545): one meeting, or a group's whole calendar feed."""

from datetime import UTC

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting

_STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def _calendar(*, name: str, time_zone: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//ASM Hub//Learning groups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Instants are written in UTC (unambiguous across DST changes); this tells calendar
    # apps which zone the group lives in, for display.
    calendar.add("x-wr-timezone", time_zone)
    return calendar


def meeting_event(meeting: Meeting) -> Event:
    page = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"{meeting.title} ({meeting.group.name})")
    event.add("sequence", meeting.sequence)
    event.add("status", _STATUS[meeting.status])
    event.add("url", page)
    location = ", ".join(part for part in (meeting.place, meeting.online_link) if part)
    if location:
        event.add("location", location)
    lines = []
    if meeting.online_link:
        lines.append(f"Online: {meeting.online_link}")
    lines.append(f"Meeting page: {page}")
    event.add("description", "\n".join(lines))
    return event


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = _calendar(name=meeting.group.name, time_zone=meeting.group.time_zone)
    calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()


def group_ics(*, group, meetings) -> bytes:
    calendar = _calendar(name=group.name, time_zone=group.time_zone)
    for meeting in meetings:
        meeting.group = group
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
