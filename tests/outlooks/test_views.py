"""Outlooks pages: who sees what (404 for drafts), editing with errors kept, review, counts."""

import pytest
from django.urls import reverse

from outlooks.models import Edition, IndicatorValue
from tests.factories import MembershipFactory
from tests.outlooks.helpers import many_indicators, published_edition

pytestmark = pytest.mark.django_db


def url(name, edition, *args):
    return reverse(f"outlooks:{name}", args=[edition.country_id, edition.year, *args])


# ------------------------------------------------------------------ access


UNPUBLISHED = [Edition.Status.DRAFT, Edition.Status.IN_REVIEW, Edition.Status.RETURNED]
READERS = {"coordinator", "author", "curator"}  # of an edition not yet published
WRITERS = {"coordinator", "author"}  # while it is a draft or returned to them
ROLES = ["anonymous", "user", "staff", "member", "other_coordinator", *sorted(READERS)]
READ_PAGES = ["detail", "export_csv", "export_json", "export_pdf"]


@pytest.fixture
def who(group, coordinator, member, other_coordinator, curator, draft):
    """The signed-in person for a role name ("author": a group member the coordinator named)."""
    from tests.factories import UserFactory

    def person(role):
        if role == "anonymous":
            return None
        if role == "user":
            return UserFactory()
        if role == "staff":  # staff who are not curators see no more than a partner
            return UserFactory(is_staff=True)
        if role == "author":
            author = MembershipFactory(group=group).user
            draft.authors.add(author)
            return author
        return {
            "coordinator": coordinator,
            "member": member,
            "other_coordinator": other_coordinator,
            "curator": curator,
        }[role]

    return person


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_edition_matrix(client, draft, who, status, subtests):
    """Drafts, editions in review and returned ones, with their PDF/CSV/JSON exports: one
    exact answer per role. 404 to anyone who may not see them (never 403: nothing leaks);
    the editor sends signed-out visitors to sign in; in review, nobody edits."""
    draft.status = status
    draft.save()
    for role in ROLES:
        with subtests.test(role=role):
            client.logout()
            person = who(role)
            if person:
                client.force_login(person)
            for name in READ_PAGES:
                response = client.get(url(name, draft))
                assert response.status_code == (200 if role in READERS else 404), (role, name)
            response = client.get(url("edit", draft))
            if role == "anonymous":
                assert response.status_code == 302
                assert response["Location"].startswith("/accounts/login/?next=")
            elif role in WRITERS and status != Edition.Status.IN_REVIEW:
                assert response.status_code == 200, role
            else:
                assert response.status_code == 404, role


def test_only_curators_publish_and_only_writers_submit(client, draft, who, indicators):
    """Review and submit answer 404 to everyone else, staff who are not curators included."""
    IndicatorValue.objects.create(
        edition=draft, indicator=indicators["asm-miners"], value=1, source_citation="x"
    )
    for role in ["user", "staff", "member", "other_coordinator", "coordinator"]:
        draft.status = Edition.Status.IN_REVIEW
        draft.save()
        client.force_login(who(role))
        assert client.post(url("review", draft), {"action": "publish"}).status_code == 404, role
        draft.refresh_from_db()
        assert draft.status == Edition.Status.IN_REVIEW, role
    for role in ["user", "staff", "member", "other_coordinator", "curator"]:
        draft.status = Edition.Status.DRAFT
        draft.save()
        client.force_login(who(role))
        assert client.post(url("submit", draft)).status_code == 404, role
        draft.refresh_from_db()
        assert draft.status == Edition.Status.DRAFT, role
    client.force_login(who("curator"))
    draft.status = Edition.Status.IN_REVIEW
    draft.save()
    assert client.post(url("review", draft), {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED


def test_author_who_left_the_group_loses_the_draft(client, draft, group):
    """Authorship follows current membership: a named author who left sees a 404."""
    membership = MembershipFactory(group=group)
    draft.authors.add(membership.user)
    membership.delete()
    client.force_login(membership.user)
    for name in [*READ_PAGES, "edit"]:
        assert client.get(url(name, draft)).status_code == 404, name


def test_coordinator_who_left_the_group_loses_the_draft(client, draft, coordinator):
    """A coordinator who left the country's group no longer opens its drafts (issue 10)."""
    draft.authors.add(coordinator)  # e.g. they wrote it while coordinator
    coordinator.group_memberships.all().delete()
    client.force_login(coordinator)
    for name in [*READ_PAGES, "edit"]:
        assert client.get(url(name, draft)).status_code == 404, name


def test_named_author_sees_and_edits_the_draft(client, draft, member):
    draft.authors.add(member)
    client.force_login(member)
    assert client.get(url("detail", draft)).status_code == 200
    assert client.get(url("edit", draft)).status_code == 200


def test_published_edition_is_public(client, methodology, indicators):
    edition = published_edition(methodology, values={indicators["asm-miners"]: "1500000"})
    response = client.get(url("detail", edition))
    assert response.status_code == 200
    assert "1,500,000 people" in response.content.decode()
    assert client.get(url("edit", edition)).status_code == 302  # sign in first
    assert client.get(reverse("outlooks:list")).status_code == 200


def test_lowercase_country_code_redirects(client, methodology):
    edition = published_edition(methodology)
    response = client.get(f"/outlooks/tz/{edition.year}/")
    assert response.status_code == 301
    assert response["Location"] == edition.get_absolute_url()


# ------------------------------------------------------------------ editing


def test_indicator_form_shows_errors_and_keeps_input(client, draft, coordinator, indicators):
    client.force_login(coordinator)
    response = client.post(
        url("edit_indicator", draft, "asm-miners"),
        {"low": "1700000", "high": "1000000", "source_citation": "Census", "confidence": "low"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The high estimate must not be below the low estimate." in html
    assert 'value="1700000"' in html
    assert 'value="Census"' in html
    assert not IndicatorValue.objects.exists()


def test_percentage_form_refuses_over_100(client, draft, coordinator, indicators):
    client.force_login(coordinator)
    response = client.post(
        url("edit_indicator", draft, "share-women"),
        {"value": "140", "source_citation": "Survey", "confidence": "medium"},
    )
    assert "A percentage must be between 0 and 100." in response.content.decode()


def test_non_number_is_refused_with_a_message(client, draft, coordinator, indicators):
    client.force_login(coordinator)
    response = client.post(
        url("edit_indicator", draft, "asm-miners"),
        {"value": "lots", "source_citation": "Survey", "confidence": "medium"},
    )
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()


def test_coordinator_fills_values_and_sections_then_submits(
    client, draft, coordinator, indicators, sections
):
    client.force_login(coordinator)
    response = client.post(
        url("edit_indicator", draft, "asm-miners"),
        {
            "low": "1000000",
            "high": "1700000",
            "women": "300000",
            "data_year": "2025",
            "source_citation": "Census",
            "confidence": "medium",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("edit_indicator", draft, "asm-policy"),
        {"yes_no": "true", "source_citation": "Gazette", "confidence": "high"},
    )
    assert response.status_code == 302
    client.post(url("edit_section", draft, "sector-overview"), {"body": "Gold *mostly*."})
    assert draft.section_texts.get().body == "Gold *mostly*."
    value = IndicatorValue.objects.get(indicator=indicators["asm-policy"])
    assert value.yes_no is True
    response = client.post(url("submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Edition.Status.IN_REVIEW


def test_member_who_is_not_author_cannot_post(client, draft, member, indicators):
    client.force_login(member)
    response = client.post(
        url("edit_indicator", draft, "asm-miners"),
        {"value": "10", "source_citation": "x", "confidence": "low"},
    )
    assert response.status_code == 404
    assert client.post(url("submit", draft)).status_code == 404


def test_curator_reviews_on_the_page(client, draft, coordinator, curator, indicators):
    IndicatorValue.objects.create(
        edition=draft, indicator=indicators["asm-miners"], value=1, source_citation="x"
    )
    draft.status = Edition.Status.IN_REVIEW
    draft.save()
    client.force_login(coordinator)
    assert client.post(url("review", draft), {"action": "publish"}).status_code == 404
    client.force_login(curator)
    page = client.get(url("detail", draft)).content.decode()
    assert "Return to authors" in page
    client.post(url("review", draft), {"action": "return", "comments": ""})
    draft.refresh_from_db()
    assert draft.status == Edition.Status.IN_REVIEW  # comments are required to return
    client.post(url("review", draft), {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.revisions.count() == 1


def test_curator_corrects_a_published_value_with_a_change_note(
    client, methodology, indicators, curator
):
    edition = published_edition(methodology, values={indicators["asm-miners"]: "1500000"})
    client.force_login(curator)
    target = url("edit_indicator", edition, "asm-miners")
    response = client.post(
        target, {"value": "1600000", "source_citation": "Census", "confidence": "high"}
    )
    assert "Say what the correction changes and why." in response.content.decode()
    response = client.post(
        target,
        {
            "value": "1600000",
            "source_citation": "Census",
            "confidence": "high",
            "change_note": "Census revised.",
        },
    )
    assert response.status_code == 302
    page = client.get(url("detail", edition)).content.decode()
    assert "1,600,000 people" in page
    assert "Census revised." in page
    old = client.get(url("detail", edition) + "?revision=1").content.decode()
    assert "1,500,000 people" in old
    assert "You are reading an earlier revision." in old
    assert client.get(url("detail", edition) + "?revision=9").status_code == 404


def test_coordinator_cannot_open_published_edition_for_editing(
    client, methodology, indicators, coordinator
):
    edition = published_edition(methodology, values={indicators["asm-miners"]: "1"})
    client.force_login(coordinator)
    assert client.get(url("edit_indicator", edition, "asm-miners")).status_code == 404
    assert client.get(url("edit", edition)).status_code == 404


def test_create_page_for_coordinators_only(client, methodology, coordinator, member):
    client.force_login(member)
    assert client.get(reverse("outlooks:create")).status_code == 404
    client.force_login(coordinator)
    response = client.post(
        reverse("outlooks:create"), {"country": "TZ", "year": "2027", "title": "TZ 2027"}
    )
    assert response.status_code == 302
    assert Edition.objects.get(year=2027).created_by == coordinator
    response = client.post(
        reverse("outlooks:create"), {"country": "TZ", "year": "2027", "title": "Again"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_change_since_previous_edition(client, methodology, indicators):
    miners = indicators["asm-miners"]
    published_edition(methodology, year=2024, values={miners: "1000000"})
    edition = published_edition(methodology, year=2026, values={miners: "1200000"})
    html = client.get(url("detail", edition)).content.decode()
    assert "Change since 2024" in html
    assert "+200,000" in html


# ------------------------------------------------------------------ query counts


def test_edition_page_query_count(client, django_assert_max_num_queries, methodology):
    """Guards against N+1: the edition page's queries do not grow with its indicators."""
    bulk = many_indicators(methodology, 40)
    published_edition(methodology, country="TZ", year=2024, values={bulk[0]: "1"})
    small = published_edition(methodology, country="TZ", year=2026, values={bulk[0]: "2"})
    published_edition(methodology, country="PE", year=2024, values=dict.fromkeys(bulk, "1"))
    large = published_edition(methodology, country="PE", year=2026, values=dict.fromkeys(bulk, "3"))
    with django_assert_max_num_queries(8) as small_queries:
        assert client.get(url("detail", small)).status_code == 200
    with django_assert_max_num_queries(8) as large_queries:
        response = client.get(url("detail", large))
    assert response.content.decode().count("+2") == 40
    assert len(small_queries) == len(large_queries)


def test_list_page_query_count(client, django_assert_max_num_queries, methodology):
    """Guards against N+1: the overview runs the same queries for one country or four."""
    published_edition(methodology, country="TZ")
    with django_assert_max_num_queries(4) as one:
        response = client.get(reverse("outlooks:list"))
    assert response.status_code == 200
    assert response.content.decode().count("/outlooks/TZ/2026/") >= 1
    for code in ("PE", "CO", "BO"):
        published_edition(methodology, country=code)
    with django_assert_max_num_queries(4) as four:
        response = client.get(reverse("outlooks:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("TZ", "PE", "CO", "BO"):
        assert f"/outlooks/{code}/2026/" in html, code
    assert len(one) == len(four)


def test_editor_page_query_count(client, django_assert_max_num_queries, draft, coordinator):
    """Guards against N+1: the author's editor runs the same queries for 4 or 44 indicators."""
    client.force_login(coordinator)
    client.get(url("edit", draft))  # session and permission caches warm
    with django_assert_max_num_queries(20) as small:
        assert client.get(url("edit", draft)).status_code == 200
    many_indicators(draft.methodology, 40)
    with django_assert_max_num_queries(20) as large:
        assert client.get(url("edit", draft)).status_code == 200
    assert len(small) == len(large)


def test_history_shown_to_writers_and_curators_only(
    client, draft, coordinator, curator, indicators
):
    from outlooks import services

    IndicatorValue.objects.create(
        edition=draft, indicator=indicators["asm-miners"], value=1, source_citation="x"
    )
    services.edition_submit(actor=coordinator, edition=draft, comment="Ready for review")
    services.edition_publish(actor=curator, edition=draft)
    assert "Ready for review" not in client.get(url("detail", draft)).content.decode()
    for who in (coordinator, curator):
        client.force_login(who)
        html = client.get(url("detail", draft)).content.decode()
        assert "History" in html and "Ready for review" in html
