"""Authorship follows current membership and role, checked at every access (issue 10).

A coordinator who left the Ethiopia group kept opening, editing and exporting the Ethiopian
draft: they were still listed among its authors. Every page, export and service now asks
whether they are a member (or coordinator) of the country's group today.
"""

import pytest
from django.http import Http404
from django.urls import reverse

from asmhub.taxonomy.models import Country
from learning_groups import services as group_services
from outlooks import services
from outlooks.models import Edition, IndicatorValue, SectionText
from tests.factories import LearningGroupFactory, MembershipFactory
from tests.outlooks.factories import EditionFactory

pytestmark = pytest.mark.django_db


def url(name, edition, *args):
    return reverse(f"outlooks:{name}", args=[edition.country_id, edition.year, *args])


@pytest.fixture
def ethiopia(methodology, indicators, sections):
    """The Ethiopia group with two coordinators; the first is also a named author."""

    class World:
        pass

    w = World()
    w.group = LearningGroupFactory(slug="ethiopia", country=Country.objects.get(code="ET"))
    w.leaver_ms = MembershipFactory(group=w.group, role="coordinator")
    w.leaver = w.leaver_ms.user
    w.stayer = MembershipFactory(group=w.group, role="coordinator").user
    w.draft = EditionFactory(
        methodology=methodology, country=Country.objects.get(code="ET"), title="Ethiopia draft"
    )
    services.edition_set_authors(actor=w.stayer, edition=w.draft, authors=[w.leaver])
    services.edition_update_section(
        actor=w.leaver, edition=w.draft, section=sections["sector-overview"], body="Before."
    )
    w.indicators, w.sections = indicators, sections
    return w


def _leave(w):
    group_services.membership_remove(actor=w.leaver, membership=w.leaver_ms)


def test_the_author_has_access_while_a_member(client, ethiopia):
    client.force_login(ethiopia.leaver)
    for name in ("detail", "edit", "export_csv", "export_json", "export_pdf"):
        assert client.get(url(name, ethiopia.draft)).status_code == 200, name


@pytest.mark.parametrize("name", ["detail", "edit", "export_csv", "export_json", "export_pdf"])
def test_a_coordinator_who_left_gets_404_on_every_page_and_export(client, ethiopia, name):
    _leave(ethiopia)
    client.force_login(ethiopia.leaver)
    assert client.get(url(name, ethiopia.draft)).status_code == 404


def test_a_coordinator_who_left_saves_nothing(client, ethiopia):
    _leave(ethiopia)
    client.force_login(ethiopia.leaver)
    draft = ethiopia.draft
    response = client.post(
        url("edit", draft), {"form": "details", "title": "Hijacked", "summary": "x"}
    )
    assert response.status_code == 404
    response = client.post(url("edit_section", draft, "sector-overview"), {"body": "After."})
    assert response.status_code == 404
    response = client.post(
        url("edit_indicator", draft, "asm-miners"),
        {"value": "5", "source_citation": "x", "confidence": "low"},
    )
    assert response.status_code == 404
    assert client.post(url("submit", draft)).status_code == 404
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Ethiopia draft", Edition.Status.DRAFT)
    assert SectionText.objects.get(edition=draft).body == "Before."
    assert not IndicatorValue.objects.filter(edition=draft).exists()


def test_services_refuse_a_coordinator_who_left(ethiopia):
    _leave(ethiopia)
    draft, leaver = ethiopia.draft, ethiopia.leaver
    calls = [
        lambda: services.edition_update(actor=leaver, edition=draft, title="x", summary="y"),
        lambda: services.edition_update_section(
            actor=leaver, edition=draft, section=ethiopia.sections["sector-overview"], body="z"
        ),
        lambda: services.indicator_value_set(
            actor=leaver,
            edition=draft,
            indicator=ethiopia.indicators["asm-miners"],
            data={"value": 1, "source_citation": "x", "confidence": "low"},
        ),
        lambda: services.edition_submit(actor=leaver, edition=draft),
        lambda: services.edition_set_authors(actor=leaver, edition=draft, authors=[]),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()


def test_a_coordinator_demoted_to_member_keeps_only_what_an_author_has(client, ethiopia):
    """Role counts too: a former coordinator who is not a named author loses the draft."""
    stayer_ms = ethiopia.group.memberships.get(user=ethiopia.stayer)
    group_services.membership_change_role(
        actor=ethiopia.leaver, membership=stayer_ms, role="member"
    )
    client.force_login(ethiopia.stayer)
    assert client.get(url("detail", ethiopia.draft)).status_code == 404
    # The named author, still a coordinator, keeps it.
    client.force_login(ethiopia.leaver)
    assert client.get(url("detail", ethiopia.draft)).status_code == 200


def test_the_working_list_forgets_the_draft_after_leaving(client, ethiopia):
    link = f'href="{ethiopia.draft.get_absolute_url()}"'
    client.force_login(ethiopia.leaver)
    assert link in client.get(reverse("outlooks:list")).content.decode()
    _leave(ethiopia)
    assert link not in client.get(reverse("outlooks:list")).content.decode()


def _admin_add_data(methodology, **overrides):
    data = {
        "country": "ET",
        "year": "2027",
        "title": "Ethiopia 2027",
        "summary": "",
        "methodology": str(methodology.pk),
        "reviewer_comments": "",
    }
    for prefix in ("section_texts", "values", "revisions", "events"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_admin_creates_and_names_authors_through_the_services(client, curator, ethiopia):
    """The admin calls the public services: the creation and the authors are in the history,
    and an author must be a member of the country's group."""
    client.force_login(curator)
    add = reverse("admin:outlooks_edition_add")
    outsider = MembershipFactory().user  # a member of another group
    data = _admin_add_data(ethiopia.draft.methodology, authors=[str(outsider.pk)])
    response = client.post(add, data)
    assert response.status_code == 200
    assert "Only members of the country" in response.content.decode()
    assert not Edition.objects.filter(year=2027).exists()
    data["authors"] = [str(ethiopia.stayer.pk)]
    response = client.post(add, data)
    assert response.status_code == 302
    edition = Edition.objects.get(country_id="ET", year=2027)
    assert edition.created_by == curator
    assert list(edition.authors.all()) == [ethiopia.stayer]
    assert sorted(edition.events.values_list("action", "actor")) == [
        ("authors", curator.pk),
        ("created", curator.pk),
    ]
