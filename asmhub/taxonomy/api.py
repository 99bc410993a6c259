"""The taxonomy in the read-only JSON API (/api/taxonomy/…): themes, commodities, languages,
stakeholder types and regions, as curators keep them; and the serializers of taxonomy terms
that the components' API modules reuse."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from asmhub.api_common import NOT_FOUND
from asmhub.taxonomy.models import Commodity, Language, Region, StakeholderType, Theme


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RegionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    countries = serializers.SerializerMethodField()

    def get_countries(self, region) -> list[str]:
        return [country.code for country in region.countries.all()]


def _viewset(model, serializer, lookup, doc):
    viewset = type(
        f"{model.__name__}ViewSet",
        (viewsets.ReadOnlyModelViewSet,),
        {
            "__doc__": doc,
            "queryset": model.objects.order_by(lookup),
            "serializer_class": serializer,
            "lookup_field": lookup,
            "lookup_value_regex": r"[-a-zA-Z0-9_]+",
        },
    )
    return _with_404(viewset)


def _with_404(viewset):
    return extend_schema_view(
        retrieve=extend_schema(responses={200: viewset.serializer_class, 404: NOT_FOUND})
    )(viewset)


ThemeViewSet = _viewset(Theme, TermSerializer, "slug", "Themes of the library and dialogues.")
CommodityViewSet = _viewset(Commodity, TermSerializer, "slug", "Commodities mined.")
StakeholderTypeViewSet = _viewset(
    StakeholderType, TermSerializer, "slug", "Stakeholder types (dialogue participation)."
)
LanguageViewSet = _viewset(Language, LanguageSerializer, "code", "Languages (ISO 639).")


@extend_schema_view(retrieve=extend_schema(responses={200: RegionSerializer, 404: NOT_FOUND}))
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions and the countries in each."""

    queryset = Region.objects.order_by("slug").prefetch_related("countries")
    serializer_class = RegionSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


routes = [
    ("taxonomy/themes", ThemeViewSet, "theme"),
    ("taxonomy/commodities", CommodityViewSet, "commodity"),
    ("taxonomy/stakeholder-types", StakeholderTypeViewSet, "stakeholder-type"),
    ("taxonomy/languages", LanguageViewSet, "language"),
    ("taxonomy/regions", RegionViewSet, "region"),
]
