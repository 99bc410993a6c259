"""Writes to the library: submission, editing, review, downloads (all multi-step, all atomic)."""

from dataclasses import dataclass

from django.core.files import File

from asmhub.taxonomy.models import Language


@dataclass(frozen=True)
class NewFile:
    """A file to attach to a resource: the upload, its language and an optional label."""

    upload: File
    language: Language | None = None
    label: str = ""


def resource_submit(*, submitted_by, data: dict, files: list[NewFile], tags=()):
    """Create a resource waiting for review (status pending) with its checked files.

    `data` holds the model's field values; many-to-many ones (countries, regions, commodities,
    themes, languages) as iterables of objects. Files are checked by content, stored under
    random names; text extraction is queued once the transaction commits. Raises
    ValidationError (nothing is saved, no file is left behind) on bad input.
    """
    raise NotImplementedError  # the resources work replaces this with the real service
