"""Validators shared by several components (kernel: imports no component)."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def _known_time_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk: read it once per process.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as Africa/Dar_es_Salaam (what zoneinfo can load)."""
    if value not in _known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="time_zone", params={"value": value}
        )
