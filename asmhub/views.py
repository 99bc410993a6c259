"""Pages that belong to the whole portal rather than one component: home, health check."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from asmhub import home_sections


def home(request):
    return render(request, "home.html", home_sections.context(request))


@never_cache
@require_GET
def healthz(request):
    """Liveness plus a database round trip, for load balancers. Short plain-text bodies."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def admin_login(request, extra_context=None):
    """Send the admin's login through allauth's (rate-limited) login.

    Django admin's own login form would bypass allauth's rate limits, so it is never shown:
    anonymous people go to allauth's login; signed-in people without staff rights get 403.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /accounts/", "Disallow: /admin/", "Allow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
