"""The dialogues' part of the read-only JSON API (/api/dialogues/): published, public dialogue
records only (never restricted or unpublished ones), with participation by stakeholder type
and the linked library resources that are themselves published."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from asmhub.api_common import NOT_FOUND
from asmhub.taxonomy.api import CountrySerializer, TermSerializer
from dialogues.models import Dialogue, DialogueResource, ParticipationCount
from dialogues.selectors import public_dialogues
from resources.models import Resource


class ParticipationSerializer(serializers.Serializer):
    stakeholder_type = serializers.CharField(source="stakeholder_type.name")
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    other = serializers.IntegerField()


class LinkedResourceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DialogueResource.Kind.choices)
    slug = serializers.CharField(source="resource.slug")
    title = serializers.CharField(source="resource.title")
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, link) -> str:
        path = reverse("api:resource-detail", args=[link.resource.slug])
        return self.context["request"].build_absolute_uri(path)


class DialogueSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    issue = serializers.CharField()
    series = serializers.CharField(source="series.title", allow_null=True, default=None)
    scope = serializers.ChoiceField(choices=Dialogue.Scope.choices)
    status = serializers.ChoiceField(choices=Dialogue.Status.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    place = serializers.CharField()
    co_chairs = serializers.CharField()
    countries = CountrySerializer(many=True, source="countries.all")
    themes = TermSerializer(many=True, source="themes.all")
    participants_total = serializers.IntegerField(allow_null=True)
    participation = ParticipationSerializer(many=True, source="participation.all")
    outcome_summary = serializers.CharField()
    key_agreements = serializers.CharField()
    continued_disagreements = serializers.CharField()
    resources = LinkedResourceSerializer(many=True, source="published_links")
    url = serializers.SerializerMethodField()

    def get_url(self, dialogue) -> str:
        return self.context["request"].build_absolute_uri(dialogue.get_absolute_url())


def api_dialogues():
    """Public, published dialogues with everything the serializer reads (fixed query count)."""
    links = DialogueResource.objects.filter(
        resource__status=Resource.Status.PUBLISHED
    ).select_related("resource")
    return (
        public_dialogues()
        .select_related("series")
        .prefetch_related(
            "countries",
            "themes",
            Prefetch(
                "participation",
                queryset=ParticipationCount.objects.select_related("stakeholder_type"),
            ),
            Prefetch("resource_links", queryset=links, to_attr="published_links"),
        )
        .order_by("-start_date", "-pk")
    )


@extend_schema_view(
    retrieve=extend_schema(
        responses={
            200: DialogueSerializer,
            404: NOT_FOUND,
        }
    )
)
class DialogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Public dialogue records, newest first."""

    serializer_class = DialogueSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return api_dialogues()

    def retrieve(self, request, *args, **kwargs):
        dialogue = self.get_object()
        response = Response(self.get_serializer(dialogue).data)
        response["Last-Modified"] = http_date(dialogue.updated_at.timestamp())
        return response


routes = [("dialogues", DialogueViewSet, "dialogue")]
