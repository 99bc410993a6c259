"""Helpers for the library search tests: resources with files and languages, reindexed."""

from resources.models import ResourceFile
from resources.search import resource_reindex
from tests.factories import ResourceFactory


def indexed_resource(*, languages=(), tags=(), files=(), commodities=(), themes=(), **fields):
    """A resource (published unless told) with its facets set, files' text, and reindexed.

    `files` is a list of (text, language code or None).
    """
    from asmhub.taxonomy.models import Commodity, Theme

    resource = ResourceFactory(**fields)
    if languages:
        resource.languages.set(languages)
    if tags:
        resource.tags.add(*tags)
    if commodities:
        resource.commodities.set(Commodity.objects.filter(slug__in=commodities))
    if themes:
        resource.themes.set(Theme.objects.filter(slug__in=themes))
    for n, (text, language) in enumerate(files):
        ResourceFile.objects.create(
            resource=resource,
            file=f"resources/test-{resource.pk}-{n}.pdf",
            original_name=f"file-{n}.pdf",
            content_type="application/pdf",
            size=len(text),
            language_id=language,
            text=text,
            extraction=ResourceFile.Extraction.DONE,
        )
    resource_reindex(resource_id=resource.pk)
    resource.refresh_from_db()
    return resource
