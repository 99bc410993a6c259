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
