"""Pages that belong to the whole portal rather than one component: home, health check."""

import hmac
import sys

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from asmhub import health
from asmhub.components import sections
from asmhub.observability import DATABASE_DOWN_ERRORS, database_unavailable_response
from asmhub.taxonomy.models import Country
from asmhub.validators import strip_control_characters


def home(request):
    context = {
        "programme_countries": list(Country.objects.programme()),
        "sections": sections("home", "home_section", request),
    }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness plus a database round trip, for load balancers. Short plain-text bodies.

    `?deep=1` with `Authorization: Bearer <ASMHUB_HEALTH_TOKEN>` reports every dependency as
    JSON instead (404 without the right token, so the probe is not a free load generator).
    """
    if "deep" in request.GET:
        return _healthz_deep(request)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _healthz_deep(request):
    expected = settings.ASMHUB_HEALTH_TOKEN
    given = request.headers.get("Authorization", "")
    if not expected or not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        raise Http404
    checks = health.deep_checks()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def server_error(request):
    """The 500 handler: a database outage anywhere in the stack is a 503, not a crash."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request)


def admin_login(request, extra_context=None):
    """Send the admin's login through allauth's (rate-limited) login.

    Django admin's own login form would bypass allauth's rate limits, so it is never shown:
    anonymous people go to allauth's login; signed-in people without staff rights get 403.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def country_detail(request, code):
    """Everything the hub holds on one country, gathered from each component."""
    country = get_object_or_404(Country, code=code.upper())
    if code != country.code:
        return redirect("country_detail", code=country.code, permanent=True)
    context = {
        "country": country,
        "regions": list(country.regions.all()),
        "sections": sections("country", "country_section", request, country),
    }
    return render(request, "country_detail.html", context)


def site_search(request):
    """One search box over all published content; each component answers with its best hits."""
    # Search words are only looked up: control characters (a NUL cannot even reach
    # PostgreSQL) become spaces rather than an error page.
    query = " ".join(strip_control_characters(request.GET.get("q", "")).split())[:200]
    found = sections("site_search", "search_section", request, query) if query else {}
    return render(request, "search.html", {"query": query, "sections": found})
