"""Kernel middlewares: NUL bytes in URLs refused before any view; private answers kept private.

RefuseNulBytesMiddleware: PostgreSQL cannot hold or compare text with NUL (psycopg refuses the
whole statement), so a NUL in a path or query parameter used in a lookup turned into a 500. The
hub's own inputs are checked where they are read (URL converters, forms, search fields); this
also covers the views the hub does not write (Django admin's change-list filters, allauth,
taggit's admin). Bodies are left to the forms, which refuse NUL with a message beside the field.

PrivateCacheMiddleware: one rule for every view, so a new private page cannot forget it: any
response to a signed-in user is `Cache-Control: private` (a proxy or CDN never stores it and
hands it to someone else), and any file or export they download (a response with
Content-Disposition) is also `no-store` (not even kept on the device). Views may say more
(`public` for a response that is the same for everyone, `no-store` on a page); what they set is
kept. Private content never reaches anonymous visitors (it answers 404), except through
secret-token URLs such as calendar feeds, which set their own `private, no-store`.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control
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


def _directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.split("=")[0].strip().lower() for part in value.split(",") if part.strip()}


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a session cookie nobody is signed in: do not load (and Vary on) the session.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        directives = _directives(response)
        if not directives & {"public", "private"}:
            patch_cache_control(response, private=True)
        if response.has_header("Content-Disposition") and "no-store" not in directives:
            patch_cache_control(response, no_store=True)
        return response
