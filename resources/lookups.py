"""Who may see or edit which resource (404 otherwise), and the reads of the detail pages."""

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


# Candidates come from the facet tokens the search index keeps (resources.search): the newest
# resources sharing a tag (tags are specific, usually few), and the newest sharing a theme or
# a country (these can be tens of thousands, so only the 60 most recent are scored).
# Both limits keep the page's cost flat at 100,000 resources; the best four are shown. The
# branches order by "published_at DESC" exactly as the (status, -published_at) index does, so
# PostgreSQL walks that index newest-first and stops early instead of sorting every match.
RELATED_SQL = """
WITH candidates AS (
    (SELECT id FROM resources_resource
     WHERE status = 'published' AND id <> %(id)s AND facets && %(tags)s::varchar(150)[]
     ORDER BY published_at DESC LIMIT 40)
    UNION
    (SELECT id FROM resources_resource
     WHERE status = 'published' AND id <> %(id)s AND facets && %(broad)s::varchar(150)[]
     ORDER BY published_at DESC LIMIT 60)
)
SELECT r.id, r.title, r.slug, r.resource_type, r.year, r.published_at
FROM candidates c
JOIN resources_resource r ON r.id = c.id
ORDER BY
    4 * cardinality(ARRAY(SELECT unnest(r.facets) INTERSECT SELECT unnest(%(tags)s::text[])))
    + 3 * cardinality(ARRAY(SELECT unnest(r.facets) INTERSECT SELECT unnest(%(themes)s::text[])))
    + 2 * cardinality(ARRAY(SELECT unnest(r.facets) INTERSECT SELECT unnest(%(countries)s::text[])))
    DESC,
    r.published_at DESC NULLS LAST, r.id DESC
LIMIT %(limit)s
"""


def resources_related(*, resource: Resource, limit: int = RELATED_LIMIT) -> list[Resource]:
    """Published resources sharing tags, themes or countries with this one, in one query.

    Shared tags weigh most (they are specific), then themes, then countries.
    """
    tokens = resource.facets or []
    tags = [t for t in tokens if t.startswith("tag:")]
    themes = [t for t in tokens if t.startswith("theme:")]
    countries = [t for t in tokens if t.startswith("country:")]
    if not (tags or themes or countries):
        return []
    params = {
        "id": resource.pk,
        "tags": tags,
        "themes": themes,
        "countries": countries,
        "broad": themes + countries,
        "limit": limit,
    }
    return list(Resource.objects.raw(RELATED_SQL, params))
