"""Digital Object Identifiers: one normal form (bare, lower case) and the resolver link."""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 200
# What people paste: a bare DOI, "doi:" prefixed, or a resolver link (any of its hosts).
_PREFIXES = re.compile(
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://(?:www\.)?doi\.org/)", re.IGNORECASE
)
# A DOI is "10." + a registrant code of digits (dot-separated sub-codes allowed) + "/" + a
# suffix of printable characters. The suffix may hold almost anything but whitespace.
_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[^\s\x00-\x1f\x7f]+$")


def normalise_doi(value: str) -> str:
    """The DOI in its stored form ("10.1234/abc", lower case: DOIs are case-insensitive),
    or "" for an empty value. Raises ValidationError when it is not a DOI."""
    text = (value or "").strip()
    if not text:
        return ""
    text = _PREFIXES.sub("", text).strip()
    if len(text) > MAX_LENGTH or not _DOI.match(text):
        raise ValidationError(
            _("Enter a DOI such as 10.1234/abcd (or its https://doi.org/ link)."), code="invalid"
        )
    return text.lower()


def doi_url(doi: str) -> str:
    """The resolver link; characters a URL cannot carry are percent-encoded."""
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else ""
