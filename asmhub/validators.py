"""Shared checks on text people (or probes) send: control characters, NUL bytes, XML safety,
time zones (kernel: imports no component).

PostgreSQL cannot store NUL in text (psycopg refuses the query), and XML 1.0 (the feeds, the
sitemap) cannot hold most other C0 control characters: one such character in a title once made
every feed fail. So text that is kept is refused with a clear message when it holds one, and
text that is only looked up (a search box, a code in a URL) has them taken out.
"""

import re
import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls.converters import StringConverter
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; the
# non-characters U+FFFE/U+FFFF and lone surrogates (never text, and invalid in XML).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# What XML 1.0 cannot hold at all (a subset of the above).
XML_INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def validate_no_control_characters(value) -> None:
    """Refuse text holding an invisible control character, saying which one and where."""
    if not isinstance(value, str):
        return
    match = CONTROL_CHARACTERS.search(value)
    if match:
        raise ValidationError(
            _(
                "This text holds an invisible control character (U+%(code)04X) at position "
                "%(position)s, which cannot be saved. Remove it (it often comes with text "
                "pasted from another program) and try again."
            ),
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


def strip_control_characters(text: str) -> str:
    """For text that is only looked up (search words): control characters become spaces."""
    return CONTROL_CHARACTERS.sub(" ", text)


def xml_safe(value):
    """Text with the characters XML 1.0 cannot hold left out (old rows, imports, admin)."""
    if isinstance(value, str):
        return XML_INVALID_CHARACTERS.sub("", value)
    return value


def has_nul(text: str) -> bool:
    return "\x00" in text


class CheckedTextModel(models.Model):
    """Base for models holding text people type: full_clean() refuses control characters.

    The check runs in clean_fields(), so ModelForms (the admin's included) show the message
    beside the field, and the services' full_clean() refuses the same text from any client.
    It adds no field and no migration.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if field.name in exclude or field.name in errors:
                continue
            if not isinstance(field, models.CharField | models.TextField):
                continue
            try:
                validate_no_control_characters(getattr(self, field.attname))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


class CheckedCharField(forms.CharField):
    """A form text field that refuses control characters (for forms not backed by a model)."""

    default_validators = [validate_no_control_characters]


class SearchTextField(forms.CharField):
    """Words to look up: control characters become spaces, runs of space one, never refused."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(strip_control_characters(value).split())


class CountryCodeConverter:
    """`<country:code>` in URLs: two letters (any case; views redirect to upper case)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class PlainTextConverter(StringConverter):
    """`<str:…>`-like segment without control characters (keys, tokens)."""

    regex = "[^/\x00-\x1f\x7f]+"


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
