"""The Outlooks' part of the read-only JSON API (/api/countries/): every country with the
indicator values of its published Outlook editions (drafts and editions in review never)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from asmhub.api_common import NOT_FOUND
from asmhub.taxonomy.models import Country
from outlooks.models import Edition, IndicatorDefinition, IndicatorValue
from resources.models import Resource


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.ChoiceField(
        source="indicator.kind", choices=IndicatorDefinition.Kind.choices
    )
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    low = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    high = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    women = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    men = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    text_value = serializers.CharField()
    yes_no = serializers.BooleanField(allow_null=True)
    data_year = serializers.IntegerField(allow_null=True)
    confidence = serializers.ChoiceField(choices=IndicatorValue.Confidence.choices)
    source_citation = serializers.CharField()
    source_resource = serializers.SerializerMethodField()

    def get_source_resource(self, value) -> str | None:
        """The library source's slug, only while that resource is published."""
        source = value.source_resource
        return source.slug if source and source.status == Resource.Status.PUBLISHED else None


class EditionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    indicators = IndicatorValueSerializer(many=True, source="values.all")

    def get_url(self, edition) -> str:
        return self.context["request"].build_absolute_uri(edition.get_absolute_url())


class CountryOutlookSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    outlooks = EditionSerializer(many=True, source="published_editions")


def countries_with_outlooks():
    values = IndicatorValue.objects.select_related("indicator", "source_resource").only(
        *[f.name for f in IndicatorValue._meta.concrete_fields],
        "indicator__code",
        "indicator__name",
        "indicator__unit",
        "indicator__kind",
        "indicator__position",
        "source_resource__slug",
        "source_resource__status",
    )
    editions = (
        Edition.objects.published()
        .order_by("-year")
        .prefetch_related(Prefetch("values", queryset=values.order_by("indicator__position")))
    )
    return Country.objects.order_by("code").prefetch_related(
        Prefetch("outlook_editions", queryset=editions, to_attr="published_editions")
    )


@extend_schema_view(
    retrieve=extend_schema(
        responses={
            200: CountryOutlookSerializer,
            404: NOT_FOUND,
        }
    )
)
class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries (ISO 3166-1 alpha-2) with their published National ASM Outlook indicators."""

    serializer_class = CountryOutlookSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"

    def get_queryset(self):
        return countries_with_outlooks()

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


routes = [("countries", CountryViewSet, "country")]
