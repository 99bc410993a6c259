"""The library's part of the read-only JSON API (/api/resources/): the same search, facets
and pages as /resources/ (resources.selectors does the work), and one resource with its files.

Only published resources are ever served: the search reads published ones only and the
detail goes through access_resource as an anonymous visitor (the API authenticates nobody,
so being signed in never widens what it shows).
"""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from asmhub.api_common import NOT_FOUND
from asmhub.taxonomy.api import CountrySerializer, LanguageSerializer, TermSerializer
from resources.filters import FACETS, SORT_CHOICES
from resources.lookups import access_resource
from resources.models import Resource
from resources.selectors import resource_search


class _ResourceBase(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    resource_type = serializers.ChoiceField(choices=Resource.Type.choices)
    resource_type_label = serializers.CharField(source="get_resource_type_display")
    authors = serializers.ListField(child=serializers.CharField(), source="author_list")
    organisation = serializers.SerializerMethodField()
    year = serializers.IntegerField(allow_null=True)
    doi = serializers.CharField()
    published_at = serializers.DateTimeField()
    countries = CountrySerializer(many=True, source="countries.all")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_organisation(self, resource) -> str | None:
        return resource.organisation.name if resource.organisation else None

    def get_url(self, resource) -> str:
        return self.context["request"].build_absolute_uri(resource.get_absolute_url())

    def get_api_url(self, resource) -> str:
        path = reverse("api:resource-detail", args=[resource.slug])
        return self.context["request"].build_absolute_uri(path)


class ResourceSummarySerializer(_ResourceBase):
    """A search result."""


class FileSerializer(serializers.Serializer):
    label = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    language = serializers.CharField(source="language_id", allow_null=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, file) -> str:
        return self.context["request"].build_absolute_uri(file.get_absolute_url())


class CitationLinksSerializer(serializers.Serializer):
    bibtex = serializers.URLField()
    ris = serializers.URLField()
    csl_json = serializers.URLField()


class ResourceDetailSerializer(_ResourceBase):
    scope = serializers.ChoiceField(choices=Resource.Scope.choices)
    licence = serializers.CharField()
    doi_url = serializers.CharField()
    external_url = serializers.CharField()
    updated_at = serializers.DateTimeField()
    regions = TermSerializer(many=True, source="regions.all")
    commodities = TermSerializer(many=True, source="commodities.all")
    themes = TermSerializer(many=True, source="themes.all")
    languages = LanguageSerializer(many=True, source="languages.all")
    tags = serializers.SerializerMethodField()
    files = FileSerializer(many=True, source="files.all")
    citations = serializers.SerializerMethodField()

    def get_tags(self, resource) -> list[str]:
        return [tag.name for tag in resource.tags.all()]

    @extend_schema_field(CitationLinksSerializer)
    def get_citations(self, resource) -> dict:
        absolute = self.context["request"].build_absolute_uri
        return {
            "bibtex": absolute(reverse("resources:cite_bibtex", args=[resource.slug])),
            "ris": absolute(reverse("resources:cite_ris", args=[resource.slug])),
            "csl_json": absolute(reverse("resources:cite_csl_json", args=[resource.slug])),
        }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    active = serializers.BooleanField()


class FacetGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class ResourceSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True, help_text="Matches; null when counting was given up (timeout)."
    )
    estimated = serializers.BooleanField(help_text="Counts are estimates (very broad searches).")
    ranked_only = serializers.IntegerField(
        allow_null=True, help_text="Relevance covers only this many of the matches."
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = serializers.CharField()
    sort = serializers.CharField()
    results = ResourceSummarySerializer(many=True)
    facets = FacetGroupSerializer(many=True)


def _facet_parameter(name: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description=f"Facet {name} (repeat for several; all must match). "
        f"Pattern: {FACETS[name][1].pattern}",
    )


SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to look for (web search syntax)."),
    *[_facet_parameter(name) for name in FACETS],
    OpenApiParameter(
        "wider", OpenApiTypes.BOOL, description="With country: also regional and global ones."
    ),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[value for value, _label in SORT_CHOICES]),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number (20 per page)."),
]


def _page_link(request, number: int | None) -> str | None:
    if number is None:
        return None
    params = request.query_params.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class SearchSchema(AutoSchema):
    """The search answers one envelope object (results, facets, pages), not a bare list."""

    def _is_list_view(self, serializer=None):
        return False

    def get_operation_id(self):
        return "resources_search" if self.view.action == "list" else super().get_operation_id()


class ResourceViewSet(viewsets.GenericViewSet):
    """Published library resources: search with facets, and one resource."""

    schema = SearchSchema()
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    serializer_class = ResourceDetailSerializer
    queryset = Resource.objects.none()  # never read: the selectors decide what is served

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=ResourceSearchSerializer)
    def list(self, request):
        found = resource_search(params=request.query_params, user=AnonymousUser())
        page = found.page
        context = self.get_serializer_context()
        data = {
            "count": found.total,
            "estimated": found.estimated,
            "ranked_only": found.ranked_only,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": _page_link(request, page.next_page_number() if page.has_next() else None),
            "previous": _page_link(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "query": found.query,
            "sort": found.sort,
            "results": ResourceSummarySerializer(found.results, many=True, context=context).data,
            "facets": [
                {
                    "name": group.name,
                    "label": group.label,
                    "values": [
                        {
                            "value": v.value,
                            "label": str(v.label),
                            "count": v.count,
                            "active": v.active,
                        }
                        for v in group.values
                    ],
                }
                for group in found.facets
            ],
        }
        return Response(data)

    @extend_schema(
        responses={
            200: ResourceDetailSerializer,
            404: NOT_FOUND,
        }
    )
    def retrieve(self, request, slug=None):
        resource = access_resource(user=AnonymousUser(), slug=slug, detail=True)
        response = Response(self.get_serializer(resource).data)
        response["Last-Modified"] = http_date(resource.updated_at.timestamp())
        return response


# Read by the API router (asmhub/api.py): (URL prefix, viewset, basename).
routes = [("resources", ResourceViewSet, "resource")]
