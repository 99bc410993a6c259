"""Writes to the library: submission, editing, review, downloads (all multi-step, all atomic)."""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from asmhub.access import require
from asmhub.emails import absolute_url, queue_email, recipient_language, site_url
from asmhub.taxonomy.models import Language
from asmhub.uploads import CheckedUpload, check_upload
from asmhub.validators import validate_no_control_characters
from resources.lookups import can_edit, can_withdraw, is_submitter, require_review
from resources.models import PROVISIONAL_SLUG_MARK, RESERVED_SLUGS, Resource, ResourceFile
from resources.search import resource_reindex

logger = logging.getLogger(__name__)

# Times a slug is chosen again when concurrent writers took the same one.
SLUG_ATTEMPTS = 5
MANY_TO_MANY = ("countries", "regions", "commodities", "themes", "languages")
# What a submitter may set; status, review and counters are the services' business.
SUBMITTER_FIELDS = frozenset(
    {
        "title",
        "summary",
        "resource_type",
        "scope",
        "authors",
        "organisation",
        "year",
        "licence",
        "external_url",
        "doi",
        *MANY_TO_MANY,
    }
)
TEXT_FIELDS = frozenset(
    {"title", "summary", "resource_type", "scope", "authors", "licence", "external_url", "doi"}
)


@dataclass(frozen=True)
class NewFile:
    """A file to attach to a resource: the upload, its language and an optional label.

    `checked` is check_upload's result when the caller (a form) already checked this upload in
    the same request: a file is inspected once, not once per layer.
    """

    upload: File
    language: Language | None = None
    label: str = ""
    checked: CheckedUpload | None = None


# ---------------------------------------------------------------- helpers


def _slug_base(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "resource"
    return f"{base}-resource" if base in RESERVED_SLUGS else base


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    """The title's slug, numbered (-2, -3…) past the public ones already taken."""
    base = _slug_base(title)
    taken = set(
        Resource.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _provisional_slug(title: str) -> str:
    """A submission's slug until it is published: the title's, with a random marker.

    A submission never takes a public slug: otherwise the next resource with the same title
    would become "…-2", revealing that an unpublished one exists. The real slug is given at
    publication (_publish_slug).
    """
    return f"{_slug_base(title)[:100]}{PROVISIONAL_SLUG_MARK}{secrets.token_hex(4)}"


def _save_with_unique_slug(resource: Resource, *, new_slug) -> None:
    """Save; if another transaction took the same slug meanwhile, take the next one.

    The unique index decides: two concurrent writers both see the slug free, the second
    INSERT/UPDATE waits for the first to commit and then fails. Inside a savepoint only that
    statement is undone, and the slug is chosen again (now seeing the committed one).
    """
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                resource.save()
            return
        except IntegrityError:
            taken = Resource.objects.filter(slug=resource.slug).exclude(pk=resource.pk).exists()
            if not taken or attempt == SLUG_ATTEMPTS - 1:
                raise
            resource.slug = new_slug()


def check_tags(tags) -> list[str]:
    """Each tag fits taggit's column (100 characters) and holds no control character."""
    tags = [str(tag) for tag in tags]
    limit = Tag._meta.get_field("name").max_length
    for tag in tags:
        if len(tag) > limit:
            raise ValidationError(
                _(
                    "A tag can be at most %(limit)s characters long; shorten “%(tag)s…” "
                    "or separate several tags with commas."
                ),
                code="tag_too_long",
                params={"limit": limit, "tag": tag[:30]},
            )
        validate_no_control_characters(tag)
    return tags


def _check_files(files: Iterable[NewFile]) -> list:
    """Check every file before anything is written; errors name the file (1-based)."""
    checked, errors = [], []
    for number, new_file in enumerate(files, start=1):
        if new_file.checked is not None and new_file.checked.is_for(new_file.upload):
            checked.append(new_file.checked)
            continue
        try:
            checked.append(check_upload(new_file.upload))
        except ValidationError as error:
            name = getattr(new_file.upload, "name", "") or ""
            errors.extend(
                ValidationError(
                    _("File %(number)s (%(name)s): %(message)s"),
                    code=error.error_list[0].code,
                    params={"number": number, "name": name, "message": message},
                )
                for message in error.messages
            )
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _save_files(*, resource: Resource, files, checked, saved_names: list) -> list[ResourceFile]:
    created = []
    for new_file, kind in zip(files, checked, strict=True):
        record = ResourceFile(
            resource=resource,
            original_name=(getattr(new_file.upload, "name", "") or "")[-255:].split("/")[-1],
            content_type=kind.content_type,
            size=kind.size,
            language=new_file.language,
            label=new_file.label,
        )
        record.checked_extension = kind.extension
        new_file.upload.seek(0)
        # save=False stores the bytes only; the name is remembered at once so a failure
        # anywhere later (even in this row's INSERT) can delete it.
        try:
            record.file.save("upload", new_file.upload, save=False)
        except Exception as error:
            # Local disk full, object store unreachable or refusing: the person is told and
            # nothing is kept (the transaction rolls back; earlier files are deleted).
            logger.exception("Could not store an uploaded file")
            raise ValidationError(
                _(
                    "The file store is not answering, so nothing was saved. Please try again "
                    "in a few minutes."
                )
            ) from error
        saved_names.append(record.file.name)
        record.full_clean()
        record.save()
        created.append(record)
    return created


def _delete_stored(names: list[str]) -> None:
    storage = ResourceFile._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, never hides the original error
            logger.exception("Could not delete %s after a failed write", name)


def _queue_extraction(file_ids: list[int]) -> None:
    from resources.tasks import extract_file_text

    for file_id in file_ids:
        transaction.on_commit(lambda file_id=file_id: extract_file_text.enqueue(file_id))


def _set_fields(resource: Resource, data: dict, *, allowed=SUBMITTER_FIELDS) -> dict:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Fields not allowed here: {', '.join(sorted(unknown))}")
    relations = {}
    for field, value in data.items():
        if field in MANY_TO_MANY:
            relations[field] = list(value or [])
        elif value is None and field in TEXT_FIELDS:
            setattr(resource, field, "")
        else:
            setattr(resource, field, value)
    return relations


def _check_file_or_link(resource: Resource, *, has_files: bool) -> None:
    if not has_files and not resource.external_url:
        raise ValidationError(
            {"external_url": _("Upload at least one file or give a link to the resource.")}
        )


def _write_resource(*, resource, data, files, tags, extra_check=None) -> Resource:
    """Shared by submit and update: validate, save, relate, store files, reindex.

    Any exception leaves no stored file behind: the transaction rolls the rows back and the
    files saved so far are deleted here.
    """
    relations = _set_fields(resource, data)
    if tags is not None:
        try:
            tags = check_tags(tags)
        except ValidationError as error:
            raise ValidationError({"tags": error.error_list}) from error
    checked = _check_files(files)
    if extra_check:
        extra_check(resource)
    new = not resource.slug
    if new:
        resource.slug = _provisional_slug(resource.title)
    # A new slug's uniqueness is left to the index (see _save_with_unique_slug).
    resource.full_clean(validate_unique=not new)
    saved_names: list[str] = []
    try:
        _save_with_unique_slug(resource, new_slug=lambda: _provisional_slug(resource.title))
        for field, values in relations.items():
            getattr(resource, field).set(values)
        if tags is not None:
            resource.tags.set(list(tags))
        created = _save_files(
            resource=resource, files=files, checked=checked, saved_names=saved_names
        )
        resource_reindex(resource_id=resource.pk)
    except BaseException:
        _delete_stored(saved_names)
        raise
    _queue_extraction([record.pk for record in created])
    return resource


def _send_outcome_email(*, resource: Resource, outcome: str, actor=None) -> None:
    """Tell the submitter what happened to their submission, once the change is committed.

    Nobody is told of their own action (a curator publishing what they added themselves).
    """
    submitter = resource.submitted_by
    if submitter is None or not submitter.email:
        return
    if actor is not None and actor.pk == submitter.pk:
        return

    # Rendered in the submitter's language and sent by the worker after commit: a down SMTP
    # server delays this email and never fails the review.
    queue_email(
        template="resources/email/outcome",
        context={
            "resource": resource,
            "outcome": outcome,
            "submitter": submitter,
            "url": site_url(resource.get_absolute_url()),
            "mine_url": absolute_url("resources:mine"),
        },
        to=submitter.email,
        language=recipient_language(submitter),
    )


def _record_review(resource: Resource, *, actor, note: str | None = None) -> None:
    resource.reviewed_by = actor
    resource.reviewed_at = timezone.now()
    if note is not None:
        resource.review_note = note


# ---------------------------------------------------------------- submission


@transaction.atomic
def resource_submit(*, submitted_by, data: dict, files: list[NewFile], tags=()):
    """Create a resource waiting for review (status pending) with its checked files.

    `data` holds the model's field values; many-to-many ones (countries, regions, commodities,
    themes, languages) as iterables of objects. Files are checked by content, stored under
    random names; text extraction is queued once the transaction commits. Raises
    ValidationError (nothing is saved, no file is left behind) on bad input.
    """
    require(
        submitted_by is not None and submitted_by.is_authenticated and submitted_by.is_active,
        "Only signed-in partners submit resources.",
    )
    files = list(files)
    resource = Resource(submitted_by=submitted_by, status=Resource.Status.PENDING)
    return _write_resource(
        resource=resource,
        data=data,
        files=files,
        tags=tags,
        extra_check=lambda r: _check_file_or_link(r, has_files=bool(files)),
    )


@transaction.atomic
def resource_update(
    *,
    actor,
    resource: Resource,
    data: dict,
    files: list[NewFile] = (),
    remove_files: Iterable[ResourceFile] = (),
    tags=None,
):
    """The submitter edits their submission while it waits for review (curators any time).

    New files are added, `remove_files` (of this resource) deleted once the change commits.
    Anyone else, or the submitter once it has been reviewed, is refused (404).
    """
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    require(can_edit(actor, resource), "No such resource")
    files = list(files)
    removing = [f for f in remove_files if f.resource_id == resource.pk]
    remaining = resource.files.exclude(pk__in=[f.pk for f in removing]).exists()
    updated = _write_resource(
        resource=resource,
        data=data,
        files=files,
        tags=tags,
        extra_check=lambda r: _check_file_or_link(r, has_files=bool(files) or remaining),
    )
    if removing:
        names = [f.file.name for f in removing]
        ResourceFile.objects.filter(pk__in=[f.pk for f in removing]).delete()
        resource_reindex(resource_id=resource.pk)
        # Stored bytes go only once the deletion is committed (a rollback keeps them).
        transaction.on_commit(lambda: _delete_stored(names))
    return updated


# ---------------------------------------------------------------- review


@transaction.atomic
def resource_publish(*, actor, resource: Resource, note: str = "") -> Resource:
    """A curator publishes a resource; the submitter hears of it."""
    require_review(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    was_published = resource.status == Resource.Status.PUBLISHED
    resource.status = Resource.Status.PUBLISHED
    resource.published_at = resource.published_at or timezone.now()
    _record_review(resource, actor=actor, note=note or resource.review_note)
    new_slug = None
    if PROVISIONAL_SLUG_MARK in resource.slug:
        # First publication: the public slug, numbered past the public ones only.
        def new_slug():
            return _unique_slug(resource.title, exclude_pk=resource.pk)

        resource.slug = new_slug()
    if new_slug is None:
        resource.full_clean()
        resource.save()
    else:
        # The slug's only uniqueness check is the index (a check before it would race with
        # concurrent publications); _save_with_unique_slug takes the next slug on a clash.
        resource.full_clean(validate_unique=False)
        _save_with_unique_slug(resource, new_slug=new_slug)
    resource_reindex(resource_id=resource.pk)
    if not was_published:
        _send_outcome_email(resource=resource, outcome="published", actor=actor)
    return resource


@transaction.atomic
def resource_reject(*, actor, resource: Resource, reason: str) -> Resource:
    """A curator turns a submission down, saying why; the submitter is told the reason."""
    require_review(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the resource is rejected.")})
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.status = Resource.Status.REJECTED
    resource.featured = False
    _record_review(resource, actor=actor, note=reason)
    resource.full_clean()
    resource.save()
    resource_reindex(resource_id=resource.pk)
    _send_outcome_email(resource=resource, outcome="rejected", actor=actor)
    return resource


@transaction.atomic
def resource_feature(*, actor, resource: Resource, featured: bool = True) -> Resource:
    """A curator features (or stops featuring) a published resource on the home page."""
    require_review(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if featured and resource.status != Resource.Status.PUBLISHED:
        raise ValidationError(_("Only published resources can be featured."))
    changed = resource.featured != featured
    resource.featured = featured
    _record_review(resource, actor=actor)
    resource.full_clean()
    resource.save()
    resource_reindex(resource_id=resource.pk)
    if changed and featured:
        _send_outcome_email(resource=resource, outcome="featured", actor=actor)
    return resource


@transaction.atomic
def resource_withdraw(*, actor, resource: Resource, reason: str = "") -> Resource:
    """Take a resource out of the library (curators; submitters their own). Files follow."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    require(can_withdraw(actor, resource), "No such resource")
    by_submitter = is_submitter(actor, resource)
    resource.status = Resource.Status.WITHDRAWN
    resource.featured = False
    _record_review(resource, actor=actor, note=reason.strip() or resource.review_note)
    resource.full_clean()
    resource.save()
    resource_reindex(resource_id=resource.pk)
    if not by_submitter:
        _send_outcome_email(resource=resource, outcome="withdrawn", actor=actor)
    return resource


@transaction.atomic
def resource_reopen(*, actor, resource: Resource, status: str = Resource.Status.PENDING):
    """A curator sends a resource back to review (pending) or to draft; it leaves the library
    and stops being featured. Nobody is emailed: nothing has been decided yet."""
    require_review(actor)
    if status not in (Resource.Status.PENDING, Resource.Status.DRAFT):
        raise ValidationError({"status": _("Reopen a resource as pending review or draft.")})
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.status = status
    resource.featured = False
    _record_review(resource, actor=actor)
    resource.full_clean()
    resource.save()
    resource_reindex(resource_id=resource.pk)
    return resource


def resource_record_download(*, resource: Resource) -> None:
    """Count one download in the database itself, so concurrent downloads never lose one."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    """A curator deletes a resource for good: its rows now, its stored files once committed.

    A rollback keeps the rows, so the bytes may only go after the commit (never before, never
    left behind after it).
    """
    require_review(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    names = [name for name in resource.files.values_list("file", flat=True) if name]
    resource.delete()
    transaction.on_commit(lambda: _delete_stored(names))
