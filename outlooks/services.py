"""Writes to Outlooks: create and write editions, the review workflow, corrections.

Every function checks the actor's right first with outlooks.rules (refused with 404, as the
pages answer: a draft's existence is not leaked), then the edition's state (ValidationError
with a message for people), validates with full_clean and records the step in the edition's
history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asmhub.access import require
from learning_groups.models import Membership
from outlooks import rules
from outlooks.models import (
    Edition,
    EditionEvent,
    IndicatorDefinition,
    IndicatorValue,
    Methodology,
    Revision,
    SectionDefinition,
    SectionText,
)

Status = Edition.Status
Action = EditionEvent.Action

VALUE_FIELDS = (
    "value",
    "low",
    "high",
    "women",
    "men",
    "text_value",
    "yes_no",
    "data_year",
    "source_resource",
    "source_citation",
    "confidence",
    "note",
)


def _event(*, edition, actor, action, from_status, comment=""):
    EditionEvent.objects.create(
        edition=edition,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=edition.status,
        comment=comment,
    )


@transaction.atomic
def edition_create(
    *, actor, country, year: int, title: str, summary: str = "", methodology=None
) -> Edition:
    """A new draft, written to the current methodology (curators may choose another), by a
    coordinator of the country's group or a curator."""
    require(rules.can_create(actor, country.code))
    if methodology is not None:
        require(rules.is_curator(actor))
    methodology = methodology or Methodology.objects.current()
    if methodology is None:
        raise ValidationError(_("No methodology is current yet: ask a curator to publish one."))
    edition = Edition(
        country=country,
        year=year,
        title=title,
        summary=summary,
        methodology=methodology,
        created_by=actor,
    )
    edition.full_clean()
    edition.save()
    _event(edition=edition, actor=actor, action=Action.CREATED, from_status="")
    return edition


@transaction.atomic
def edition_update(*, actor, edition: Edition, title: str, summary: str) -> Edition:
    require(rules.can_write(actor, edition))
    _require_editable(edition)
    edition.title = title
    edition.summary = summary
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def edition_set_authors(*, actor, edition: Edition, authors) -> Edition:
    """Coordinators name the members of their country's group who write the edition."""
    require(rules.can_name_authors(actor, edition))
    authors = list(authors)
    members = set(
        Membership.objects.filter(
            group__country_id=edition.country_id, user__in=authors
        ).values_list("user_id", flat=True)
    )
    outsiders = [str(user) for user in authors if user.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                "authors": _("Only members of the country's learning group can be authors: %s.")
                % ", ".join(outsiders)
            }
        )
    edition.authors.set(authors)
    _event(
        edition=edition,
        actor=actor,
        action=Action.AUTHORS,
        from_status=edition.status,
        comment=", ".join(str(user) for user in authors),
    )
    return edition


def _require_editable(edition: Edition) -> None:
    if not edition.is_editable:
        raise ValidationError(
            _("This edition is %(status)s and cannot be changed now.")
            % {"status": edition.get_status_display().lower()}
        )


def _check_section(edition: Edition, section: SectionDefinition) -> None:
    if section.methodology_id != edition.methodology_id:
        raise ValidationError(_("That section is not part of this edition's methodology."))


def _check_indicator(edition: Edition, indicator: IndicatorDefinition) -> None:
    if indicator.methodology_id != edition.methodology_id:
        raise ValidationError(_("That indicator is not part of this edition's methodology."))


def _write_section(edition, section, body) -> SectionText:
    _check_section(edition, section)
    text = SectionText.objects.filter(edition=edition, section=section).first()
    text = text or SectionText(edition=edition, section=section)
    text.body = body
    text.full_clean()
    text.save()
    return text


def _write_value(edition, indicator, data: dict) -> IndicatorValue:
    _check_indicator(edition, indicator)
    item = IndicatorValue.objects.filter(edition=edition, indicator=indicator).first()
    item = item or IndicatorValue(edition=edition, indicator=indicator)
    for field in VALUE_FIELDS:
        if field in data:
            value = data[field]
            if field in ("text_value", "source_citation", "note") and value is None:
                value = ""
            setattr(item, field, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def edition_update_section(
    *, actor, edition: Edition, section: SectionDefinition, body: str
) -> SectionText:
    require(rules.can_write(actor, edition))
    _require_editable(edition)
    text = _write_section(edition, section, body)
    Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
    return text


@transaction.atomic
def indicator_value_set(
    *, actor, edition: Edition, indicator: IndicatorDefinition, data: dict
) -> IndicatorValue:
    """Set one indicator's value; ValidationError (by field) leaves the stored one unchanged."""
    require(rules.can_write(actor, edition))
    _require_editable(edition)
    item = _write_value(edition, indicator, data)
    Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def edition_submit(*, actor, edition: Edition, comment: str = "") -> Edition:
    require(rules.can_write(actor, edition))
    _require_editable(edition)
    if not edition.values.exists() and not edition.section_texts.exclude(body="").exists():
        raise ValidationError(_("Write at least one section or indicator before submitting."))
    previous = edition.status
    edition.status = Status.IN_REVIEW
    edition.save(update_fields=["status", "updated_at"])
    _event(
        edition=edition, actor=actor, action=Action.SUBMITTED, from_status=previous, comment=comment
    )
    return edition


def _require_in_review(edition: Edition) -> None:
    if edition.status != Status.IN_REVIEW:
        raise ValidationError(_("Only an edition in review can be returned or published."))


@transaction.atomic
def edition_return(*, actor, edition: Edition, comments: str) -> Edition:
    """A curator sends the edition back to its authors, saying what to change."""
    require(rules.can_review(actor, edition))
    _require_in_review(edition)
    if not comments.strip():
        raise ValidationError({"comments": _("Say what the authors should change.")})
    edition.status = Status.RETURNED
    edition.reviewer_comments = comments
    edition.save(update_fields=["status", "reviewer_comments", "updated_at"])
    _event(
        edition=edition,
        actor=actor,
        action=Action.RETURNED,
        from_status=Status.IN_REVIEW,
        comment=comments,
    )
    return edition


def build_snapshot(edition: Edition) -> dict:
    """The edition's content as published: what revisions keep and public pages read."""
    texts = (
        SectionText.objects.filter(edition=edition)
        .select_related("section")
        .order_by("section__position")
    )
    values = (
        IndicatorValue.objects.filter(edition=edition)
        .select_related("indicator", "source_resource")
        .order_by("indicator__position")
    )
    return {
        "title": edition.title,
        "summary": edition.summary,
        "country": edition.country_id,
        "year": edition.year,
        "methodology": edition.methodology.version,
        "sections": [
            {
                "slug": text.section.slug,
                "title": text.section.title,
                "body": text.body,
                "html": str(text.html),
            }
            for text in texts
            if text.body.strip()
        ],
        "indicators": [item.as_dict() for item in values],
    }


def _new_revision(*, edition, actor, change_note) -> Revision:
    last = edition.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision(
        edition=edition,
        number=last + 1,
        change_note=change_note,
        published_at=timezone.now(),
        published_by=actor,
        snapshot=build_snapshot(edition),
    )
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def edition_publish(*, actor, edition: Edition, comment: str = "") -> Revision:
    """A curator publishes an edition in review: its first revision is frozen."""
    require(rules.can_review(actor, edition))
    _require_in_review(edition)
    edition.status = Status.PUBLISHED
    edition.published_at = edition.published_at or timezone.now()
    edition.save(update_fields=["status", "published_at", "updated_at"])
    revision = _new_revision(edition=edition, actor=actor, change_note=comment)
    _event(
        edition=edition,
        actor=actor,
        action=Action.PUBLISHED,
        from_status=Status.IN_REVIEW,
        comment=comment,
    )
    return revision


@transaction.atomic
def edition_correct(
    *,
    actor,
    edition: Edition,
    change_note: str,
    sections: dict | None = None,
    values: dict | None = None,
) -> Revision:
    """Correct a published edition: the changes become a new revision with a change note.

    sections maps SectionDefinition → Markdown body; values maps IndicatorDefinition → the
    fields to set. Earlier revisions stay as they were published.
    """
    require(rules.is_curator(actor))
    if not edition.is_published:
        raise ValidationError(_("Only a published edition is corrected; edit a draft directly."))
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what the correction changes and why.")})
    for section, body in (sections or {}).items():
        _write_section(edition, section, body)
    for indicator, data in (values or {}).items():
        _write_value(edition, indicator, data)
    Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
    revision = _new_revision(edition=edition, actor=actor, change_note=change_note)
    _event(
        edition=edition,
        actor=actor,
        action=Action.CORRECTED,
        from_status=Status.PUBLISHED,
        comment=change_note,
    )
    return revision
