"""Who may see, edit or review which resource (404 otherwise), and the detail pages' reads.

The rules below are the library's one authorization layer: views open resources with the
`access_*` helpers and every service checks its acting user with the same predicates.
"""

from django.db.models import Prefetch
from django.http import Http404

from asmhub.access import is_curator, require
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


# ---------------------------------------------------------------- rules


def can_review(user) -> bool:
    """Publish, reject, feature, return to review: curators only."""
    return is_curator(user)


def is_submitter(user, resource: Resource) -> bool:
    return user is not None and user.is_authenticated and resource.submitted_by_id == user.pk


def can_edit(user, resource: Resource) -> bool:
    """Curators any time; the submitter while the submission waits for review."""
    if is_curator(user):
        return True
    return is_submitter(user, resource) and resource.status == Resource.Status.PENDING


def can_withdraw(user, resource: Resource) -> bool:
    """Curators, and submitters their own resources."""
    return is_curator(user) or is_submitter(user, resource)


def require_review(user) -> None:
    require(can_review(user), "Only curators review resources.")


# ---------------------------------------------------------------- access


def access_resource(*, user, slug: str, detail: bool = False) -> Resource:
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


def access_resource_file(*, user, slug: str, file_id: int | None) -> ResourceFile:
    """A file of a visible resource (the first when no id is given); its visibility is always
    its resource's, read at the moment of the request."""
    resource = access_resource(user=user, slug=slug)
    files = ResourceFile.objects.filter(resource=resource).defer("text")
    file = files.filter(pk=file_id).first() if file_id is not None else files.first()
    if file is None:
        raise Http404("No such file")
    file.resource = resource
    return file


def access_resource_for_edit(*, user, slug: str) -> Resource:
    """The resource if this user may edit it now (see can_edit); 404 for anything else."""
    if not user.is_authenticated:
        raise Http404("No such resource")
    resource = (
        Resource.objects.visible_to(user)
        .filter(slug=slug)
        .defer("search_vector")
        .prefetch_related(*_DETAIL_PREFETCH)
        .first()
    )
    if resource is None:
        raise Http404("No such resource")
    require(can_edit(user, resource), "No such resource")
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
