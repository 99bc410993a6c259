"""Refuses, before any view, a URL holding a NUL byte: no text of the hub can contain one.

PostgreSQL cannot hold or compare text with NUL (psycopg refuses the whole statement), so a
NUL in a path or query parameter used in a lookup turned into a 500. The hub's own inputs are
checked where they are read (URL converters, forms, search fields); this also covers the views
the hub does not write (Django admin's change-list filters, allauth, taggit's admin).
Bodies are left to the forms, which refuse NUL with a message beside the field.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return HttpResponseBadRequest(
                _("This address holds a NUL character, which no page of the hub accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
