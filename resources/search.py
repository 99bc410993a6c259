"""Keeps each resource's stored search vector current (owned by the search work; stub for now)."""


def resource_reindex(*, resource_id: int) -> None:
    """Recompute the stored tsvector of one resource from its metadata, tags and files' text.

    Called by the services after every write and by the extraction task after it finishes.
    """
