"""What every part of the JSON API shares (kernel: imports no component): the pagination and
the documented 404 answer."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import pagination, serializers


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


NOT_FOUND = OpenApiResponse(NotFoundSerializer, description="Nothing public at this address.")


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, 20 a page. A page number out of range or malformed gives the nearest page
    (as the HTML lists do) rather than a 404 for a list that exists."""

    def get_page_number(self, request, paginator):
        try:
            number = int(request.query_params.get(self.page_query_param, 1))
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), max(paginator.num_pages, 1))


def document_refusals(result, generator, request, public):
    """drf-spectacular hook: string parameters say they take no NUL, and every operation may
    answer 400 (a NUL anywhere in the address is refused by asmhub.middleware before any view)
    and 429 (anonymous throttling)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                items = schema.get("items", {}) if schema.get("type") == "array" else schema
                free_text = "pattern" not in items and "enum" not in items
                if items.get("type") == "string" and free_text:
                    items["pattern"] = "^[^\\x00]*$"  # what the middleware lets through
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", {"description": "The address holds a NUL character."})
            responses.setdefault("429", {"description": "Too many requests: slow down."})
    return result
