"""Cache headers for private answers: what a signed-in person sees is kept by no shared cache.

One rule for every view, so a new private page cannot forget it: any response to a signed-in
user is `Cache-Control: private` (a proxy or CDN never stores it and hands it to someone
else), and any file or export they download (a response with Content-Disposition) is also
`no-store` (not even kept on the device). Views may say more (`public` for a response that
is the same for everyone, `no-store` on a page); what they set is kept. Private content never
reaches anonymous visitors (it answers 404), except through secret-token URLs such as
calendar feeds, which set their own `private, no-store`.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
