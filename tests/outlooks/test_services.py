"""The workflow, allowed and refused by role; published immutability; revisions; history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from asmhub.taxonomy.models import Country
from outlooks import services
from outlooks.models import Edition, EditionEvent, IndicatorValue, Revision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINERS = {"value": Decimal("1500000"), "source_citation": "Census 2025", "confidence": "medium"}


def fill(edition, actor, indicators):
    return services.indicator_value_set(
        actor=actor, edition=edition, indicator=indicators["asm-miners"], data=dict(MINERS)
    )


def in_review(draft, coordinator, indicators):
    fill(draft, coordinator, indicators)
    return services.edition_submit(actor=coordinator, edition=draft)


def published(draft, coordinator, curator, indicators):
    in_review(draft, coordinator, indicators)
    services.edition_publish(actor=curator, edition=draft)
    return draft


# ------------------------------------------------------------------ create


def test_coordinator_creates_an_edition_for_their_country(methodology, coordinator):
    edition = services.edition_create(
        actor=coordinator, country=Country.objects.get(code="TZ"), year=2027, title="TZ 2027"
    )
    assert edition.status == Edition.Status.DRAFT
    assert edition.methodology == methodology
    assert edition.events.get().action == EditionEvent.Action.CREATED


@pytest.mark.parametrize("who", ["member", "other_coordinator", "user"])
def test_others_may_not_create_an_edition(methodology, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(Http404):
        services.edition_create(
            actor=actor, country=Country.objects.get(code="TZ"), year=2027, title="TZ 2027"
        )


def test_one_edition_per_country_and_year(methodology, coordinator, draft):
    with pytest.raises(ValidationError):
        services.edition_create(
            actor=coordinator, country=draft.country, year=draft.year, title="Again"
        )


# ------------------------------------------------------------------ write and submit


def test_coordinator_and_named_author_write_and_submit(draft, coordinator, member, indicators):
    services.edition_set_authors(actor=coordinator, edition=draft, authors=[member])
    fill(draft, member, indicators)
    services.edition_submit(actor=member, edition=draft)
    draft.refresh_from_db()
    assert draft.status == Edition.Status.IN_REVIEW
    assert list(draft.events.values_list("action", flat=True)) == ["authors", "submitted"]


@pytest.mark.parametrize("who", ["member", "other_coordinator", "user", "curator"])
def test_others_may_not_write_a_draft(draft, indicators, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(Http404):
        fill(draft, actor, indicators)
    with pytest.raises(Http404):
        services.edition_submit(actor=actor, edition=draft)


def test_only_group_members_can_be_named_authors(draft, coordinator):
    outsider = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.edition_set_authors(actor=coordinator, edition=draft, authors=[outsider])
    assert "authors" in caught.value.message_dict


def test_member_may_not_name_authors(draft, member):
    with pytest.raises(Http404):
        services.edition_set_authors(actor=member, edition=draft, authors=[member])


def test_invalid_value_leaves_the_stored_one(draft, coordinator, indicators):
    fill(draft, coordinator, indicators)
    with pytest.raises(ValidationError):
        services.indicator_value_set(
            actor=coordinator,
            edition=draft,
            indicator=indicators["asm-miners"],
            data={"value": None, "low": Decimal("5"), "high": Decimal("2")},
        )
    assert IndicatorValue.objects.get(edition=draft).value == Decimal("1500000")


def test_submitting_an_empty_edition_is_refused(draft, coordinator):
    with pytest.raises(ValidationError):
        services.edition_submit(actor=coordinator, edition=draft)


def test_no_writing_while_in_review(draft, coordinator, indicators, sections):
    in_review(draft, coordinator, indicators)
    with pytest.raises(ValidationError):
        fill(draft, coordinator, indicators)
    with pytest.raises(ValidationError):
        services.edition_update_section(
            actor=coordinator, edition=draft, section=sections["sector-overview"], body="x"
        )


# ------------------------------------------------------------------ review


def test_curator_returns_with_comments_then_authors_resubmit(
    draft, coordinator, curator, indicators
):
    in_review(draft, coordinator, indicators)
    with pytest.raises(ValidationError):
        services.edition_return(actor=curator, edition=draft, comments=" ")
    services.edition_return(actor=curator, edition=draft, comments="Cite the census table.")
    draft.refresh_from_db()
    assert draft.status == Edition.Status.RETURNED
    assert draft.reviewer_comments == "Cite the census table."
    fill(draft, coordinator, indicators)  # returned editions are editable again
    services.edition_submit(actor=coordinator, edition=draft)
    assert draft.status == Edition.Status.IN_REVIEW


@pytest.mark.parametrize("who", ["coordinator", "member", "user", "other_coordinator"])
def test_only_curators_return_or_publish(draft, coordinator, indicators, who, request):
    in_review(draft, coordinator, indicators)
    actor = request.getfixturevalue(who)
    with pytest.raises(Http404):
        services.edition_publish(actor=actor, edition=draft)
    with pytest.raises(Http404):
        services.edition_return(actor=actor, edition=draft, comments="no")


def test_a_draft_cannot_be_published_without_review(draft, curator, coordinator, indicators):
    fill(draft, coordinator, indicators)
    with pytest.raises(ValidationError):
        services.edition_publish(actor=curator, edition=draft)


def test_publish_freezes_the_first_revision(draft, coordinator, curator, indicators, sections):
    services.edition_update_section(
        actor=coordinator, edition=draft, section=sections["sector-overview"], body="**Gold**"
    )
    published(draft, coordinator, curator, indicators)
    revision = draft.revisions.get()
    assert revision.number == 1
    assert revision.published_by == curator
    assert revision.snapshot["indicators"][0]["value"] == "1500000"
    assert revision.snapshot["sections"][0]["html"].startswith("<p><strong>Gold")
    assert [e.action for e in draft.events.all()] == ["submitted", "published"]


# ------------------------------------------------------------------ published immutability


def test_published_edition_is_not_edited_in_place(draft, coordinator, curator, indicators):
    published(draft, coordinator, curator, indicators)
    with pytest.raises(ValidationError):  # the coordinator may write it, but not now
        fill(draft, coordinator, indicators)
    with pytest.raises(Http404):  # a curator is not one of its writers: corrections only
        fill(draft, curator, indicators)
    with pytest.raises(ValidationError):
        services.edition_update(actor=coordinator, edition=draft, title="New", summary="")
    with pytest.raises(ValidationError):
        services.edition_submit(actor=coordinator, edition=draft)


def test_correction_makes_a_new_revision_and_keeps_the_old(draft, coordinator, curator, indicators):
    published(draft, coordinator, curator, indicators)
    with pytest.raises(ValidationError):
        services.edition_correct(actor=curator, edition=draft, change_note="", values={})
    with pytest.raises(Http404):
        services.edition_correct(actor=coordinator, edition=draft, change_note="Typo")
    revision = services.edition_correct(
        actor=curator,
        edition=draft,
        change_note="Census revised upwards.",
        values={indicators["asm-miners"]: {"value": Decimal("1600000")}},
    )
    assert revision.number == 2
    first, second = Revision.objects.filter(edition=draft).order_by("number")
    assert first.snapshot["indicators"][0]["value"] == "1500000"
    assert second.snapshot["indicators"][0]["value"] == "1600000"
    assert second.change_note == "Census revised upwards."
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.events.last().action == EditionEvent.Action.CORRECTED


def test_invalid_correction_changes_nothing(draft, coordinator, curator, indicators):
    published(draft, coordinator, curator, indicators)
    with pytest.raises(ValidationError):
        services.edition_correct(
            actor=curator,
            edition=draft,
            change_note="Oops",
            values={indicators["asm-miners"]: {"value": Decimal("-4")}},
        )
    assert draft.revisions.count() == 1
    assert IndicatorValue.objects.get(edition=draft).value == Decimal("1500000")


def test_correcting_a_draft_is_refused(draft, curator):
    with pytest.raises(ValidationError):
        services.edition_correct(actor=curator, edition=draft, change_note="x")
