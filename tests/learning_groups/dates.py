"""Dates for tests that need a particular calendar day (a DST change): always next year's, so
the tests keep meaning the same thing whatever year they run in (no hard-coded year)."""

from datetime import date, timedelta

from django.utils import timezone


def next_year() -> int:
    return timezone.now().year + 1


def eu_spring_dst_sunday(year: int | None = None) -> date:
    """The last Sunday of March: clocks go forward in the EU (Madrid: 02:00 becomes 03:00)."""
    last = date(year or next_year(), 3, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)
