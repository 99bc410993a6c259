"""Who may see or edit which resource (404 otherwise), and the reads of the detail pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404

from resources.models import Resource, ResourceFile

RELATED_LIMIT = 4

_DETAIL_PREFETCH = (
    "countries",
    "regions",
    "commodities",
    "themes",
    "languages",
    "tags",
    Prefetch("files", queryset=ResourceFile.objects.select_related("language").defer("text")),
)


def resource_visible(*, user, slug: str, detail: bool = False) -> Resource:
    """The resource if this person may see it: published, their own, or they are a curator.

    Anything else answers 404, so an unpublished resource's existence is never leaked.
    """
    queryset = Resource.objects.visible_to(user).defer("search_vector")
    if detail:
        queryset = queryset.select_related("organisation", "submitted_by").prefetch_related(
            *_DETAIL_PREFETCH
        )
    resource = queryset.filter(slug=slug).first()
    if resource is None:
        raise Http404("No such resource")
    return resource


def resource_file_visible(*, user, slug: str, file_id: int | None) -> ResourceFile:
    """A file of a visible resource (the first when no id is given); its visibility is always
    its resource's, read at the moment of the request."""
    resource = resource_visible(user=user, slug=slug)
    files = ResourceFile.objects.filter(resource=resource).defer("text")
    file = files.filter(pk=file_id).first() if file_id is not None else files.first()
    if file is None:
        raise Http404("No such file")
    file.resource = resource
    return file


def resource_editable(*, user, slug: str) -> Resource:
    """The submitter's own resource while it waits for review (404 for anything else)."""
    if not user.is_authenticated:
        raise Http404("No such resource")
    resource = (
        Resource.objects.filter(slug=slug, submitted_by=user, status=Resource.Status.PENDING)
        .prefetch_related(*_DETAIL_PREFETCH)
        .first()
    )
    if resource is None:
        raise Http404("No such resource")
    return resource


def resources_submitted_by(*, user):
    """A partner's submissions, newest first, with what the "my submissions" page shows."""
    return (
        Resource.objects.submitted_by(user)
        .defer("search_vector", "summary")
        .prefetch_related(Prefetch("files", queryset=ResourceFile.objects.defer("text")))
        .order_by("-created_at", "-pk")
    )


RELATED_SQL = """
WITH shared AS (
    SELECT b.resource_id, 3 AS weight
    FROM resources_resource_themes a
    JOIN resources_resource_themes b ON b.theme_id = a.theme_id
    WHERE a.resource_id = %(id)s AND b.resource_id <> %(id)s
    UNION ALL
    SELECT b.resource_id, 2
    FROM resources_resource_countries a
    JOIN resources_resource_countries b ON b.country_id = a.country_id
    WHERE a.resource_id = %(id)s AND b.resource_id <> %(id)s
    UNION ALL
    SELECT b.object_id, 4
    FROM taggit_taggeditem a
    JOIN taggit_taggeditem b ON b.tag_id = a.tag_id AND b.content_type_id = a.content_type_id
    WHERE a.content_type_id = %(ct)s AND a.object_id = %(id)s AND b.object_id <> %(id)s
),
scored AS (
    SELECT resource_id, SUM(weight) AS score FROM shared GROUP BY resource_id
)
SELECT r.id, r.title, r.slug, r.resource_type, r.year, r.published_at
FROM scored s
JOIN resources_resource r ON r.id = s.resource_id
WHERE r.status = 'published'
ORDER BY s.score DESC, r.published_at DESC NULLS LAST, r.id DESC
LIMIT %(limit)s
"""


def resources_related(*, resource: Resource, limit: int = RELATED_LIMIT) -> list[Resource]:
    """Published resources sharing themes, countries or tags with this one, in one query.

    Shared tags weigh most (they are specific), then themes, then countries.
    """
    content_type = ContentType.objects.get_for_model(Resource)  # cached after the first call
    return list(
        Resource.objects.raw(
            RELATED_SQL, {"id": resource.pk, "ct": content_type.pk, "limit": limit}
        )
    )
