"""Middleware for the machine-readable endpoints (/api/, /oai/): anyone's browser code may
GET them (CORS), and API answers carry an ETag so unchanged ones come back as 304."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, quote_etag

OPEN_PREFIXES = ("/api/", "/oai/")
CONDITIONAL_PREFIX = "/api/"
SAFE = {"GET", "HEAD"}


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            from django.http import HttpResponse

            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
            if (
                request.path.startswith(CONDITIONAL_PREFIX)
                and request.method in SAFE
                and response.status_code == 200
                and not response.streaming
            ):
                response = self._conditional(request, response)
        # Read-only, credential-free data: any origin; cookies are never sent cross-site.
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        return response

    def _conditional(self, request, response):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not response.has_header("ETag"):
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        # Two answers may differ by the Origin/Accept-Language the request sent.
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        return conditional
