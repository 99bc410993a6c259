"""Dialogue pages: who sees what (404, not 403), filters, series progress and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asmhub.taxonomy.models import StakeholderType
from tests.factories import ResourceFactory, UserFactory

from .factories import (
    DialogueFactory,
    DialogueSeriesFactory,
    FollowUpActionFactory,
    FollowUpUpdateFactory,
    NamedParticipantFactory,
    ParticipationCountFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def detail(dialogue):
    return reverse("dialogues:detail", args=[dialogue.slug])


@pytest.fixture
def allowed():
    return UserFactory()


@pytest.fixture
def restricted(allowed):
    return DialogueFactory(visibility="restricted", allowed_users=[allowed])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 404), ("partner", 404), ("staff", 404), ("allowed", 200), ("curator", 200)],
)
def test_restricted_dialogue_answers_404_to_those_without_access(
    client, restricted, allowed, curator, who, expected
):
    users = {
        "anonymous": None,
        "partner": UserFactory(),
        "staff": UserFactory(is_staff=True),  # staff who are not curators
        "allowed": allowed,
        "curator": curator,
    }
    if users[who]:
        client.force_login(users[who])
    assert client.get(detail(restricted)).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 404), ("allowed", 404), ("staff", 404), ("curator", 200)],
)
def test_unpublished_dialogue_is_seen_by_curators_only(client, allowed, curator, who, expected):
    draft = DialogueFactory(is_published=False, allowed_users=[allowed])
    if who != "anonymous":
        staff = UserFactory(is_staff=True)
        client.force_login({"allowed": allowed, "curator": curator, "staff": staff}[who])
    assert client.get(detail(draft)).status_code == expected


def test_list_hides_what_the_visitor_may_not_see(client, restricted, allowed):
    public = DialogueFactory(title="An open dialogue on mercury")
    DialogueFactory(title="A draft dialogue", is_published=False)
    page = client.get(reverse("dialogues:list")).content.decode()
    assert public.title in page
    assert restricted.title not in page
    assert "A draft dialogue" not in page
    client.force_login(allowed)
    assert restricted.title in client.get(reverse("dialogues:list")).content.decode()


def test_detail_shows_the_whole_record(client):
    dialogue = DialogueFactory(
        countries=["TZ"],
        themes=["asm-lsm-relations"],
        co_chairs="Neema Kileo and a ministry official",
        outcome_summary="Evictions without alternatives had failed.",
        key_agreements="Co-existence agreements should be public.",
        continued_disagreements="Liability on shared land.",
        time_zone="Africa/Dar_es_Salaam",
    )
    ParticipationCountFactory(dialogue=dialogue)
    NamedParticipantFactory(dialogue=dialogue, name="Amani Named")
    NamedParticipantFactory(dialogue=dialogue, name="Hidden Person", consent_to_publish=False)
    SessionFactory(
        dialogue=dialogue,
        title="Opening plenary",
        starts_at=datetime.datetime(2025, 3, 11, 6, tzinfo=datetime.UTC),
    )
    background = ResourceFactory(title="Background paper on concessions")
    summary = ResourceFactory(title="Co-chairs' summary of Arusha")
    draft = ResourceFactory(title="An unpublished paper", status="draft")
    dialogue.resource_links.create(resource=background, kind="background")
    dialogue.resource_links.create(resource=summary, kind="summary")
    dialogue.resource_links.create(resource=draft, kind="background")
    action = FollowUpActionFactory(dialogue=dialogue, description="Publish a model agreement")
    FollowUpUpdateFactory(action=action, status="done", note="Published in the library.")

    page = client.get(detail(dialogue)).content.decode()
    for text in [
        dialogue.title,
        dialogue.issue,
        "Tanzania",
        "ASM and large-scale mining relations",
        "Neema Kileo and a ministry official",
        "Amani Named",
        "Opening plenary",
        "09:00 EAT",  # 06:00 UTC shown in the dialogue's time zone
        "Background paper on concessions",
        "Co-chairs&#x27; summary of Arusha",
        "Evictions without alternatives had failed.",
        "Co-existence agreements should be public.",
        "Liability on shared land.",
        "Publish a model agreement",
        "Published in the library.",
        "1 of 1 actions done.",
    ]:
        assert text in page, text
    assert "Hidden Person" not in page
    assert "An unpublished paper" not in page


def test_filters_by_country_theme_scope_year_and_status(client):
    tz = DialogueFactory(title="Tanzania national", countries=["TZ"], themes=["child-labour"])
    intl = DialogueFactory(
        title="International one",
        countries=["PE", "CO"],
        scope="international",
        start_date=datetime.date(2024, 5, 1),
        status="report-published",
        themes=["asm-lsm-relations"],
    )
    url = reverse("dialogues:list")

    def titles(**params):
        response = client.get(url, params)
        return {d.title for d in response.context["dialogues"]}

    assert titles() == {tz.title, intl.title}
    assert titles(country="TZ") == {tz.title}
    assert titles(country="CO") == {intl.title}
    assert titles(theme="child-labour") == {tz.title}
    assert titles(scope="international") == {intl.title}
    assert titles(year="2024") == {intl.title}
    assert titles(status="held") == {tz.title}
    assert titles(country="PE", year="2025") == set()
    # A bad value is reported beside its field, never a 500; the other filters still apply.
    response = client.get(url, {"country": "XX", "status": "held"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert {d.title for d in response.context["dialogues"]} == {tz.title}


def test_list_paginates(client):
    DialogueFactory.create_batch(23)
    response = client.get(reverse("dialogues:list"), {"page": 2})
    assert len(response.context["dialogues"]) == 3
    assert "Page 2 of 2" in response.content.decode()


def test_series_page_lists_its_dialogues_in_order_with_follow_up_progress(client, restricted):
    series = DialogueSeriesFactory()
    second = DialogueFactory(series=series, start_date=datetime.date(2025, 10, 7))
    first = DialogueFactory(series=series, start_date=datetime.date(2025, 3, 11))
    restricted.series = series
    restricted.save()
    for status in ["done", "done", "stalled", "in-progress"]:
        FollowUpUpdateFactory(action=FollowUpActionFactory(dialogue=first), status=status)
    FollowUpActionFactory(dialogue=first)

    response = client.get(reverse("dialogues:series", args=[series.slug]))
    assert response.context["dialogues"] == [first, second]
    page = response.content.decode()
    assert page.index(first.title) < page.index(second.title)
    assert "Follow-up: 2 of 5 actions done" in page
    assert restricted.title not in page


def test_series_whose_dialogues_are_all_hidden_answers_404(client, restricted, allowed):
    series = DialogueSeriesFactory()
    restricted.series = series
    restricted.save()
    url = reverse("dialogues:series", args=[series.slug])
    assert client.get(url).status_code == 404
    client.force_login(allowed)
    assert client.get(url).status_code == 200


def _full_dialogue(n, series=None):
    dialogue = DialogueFactory(countries=["TZ", "PE"], themes=["child-labour"], series=series)
    for kind in StakeholderType.objects.filter(slug__in=["government", "asm-miners"]):
        ParticipationCountFactory(dialogue=dialogue, stakeholder_type=kind)
    for _ in range(n):
        SessionFactory(dialogue=dialogue)
        NamedParticipantFactory(dialogue=dialogue)
        dialogue.resource_links.create(resource=ResourceFactory(), kind="background")
        action = FollowUpActionFactory(dialogue=dialogue)
        FollowUpUpdateFactory(action=action)
        FollowUpUpdateFactory(action=action, status="done")
    return dialogue


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count(client, curator, django_assert_max_num_queries):
    """Guards against N+1: the list costs the same number of queries for 2 or 20 dialogues."""
    client.force_login(curator)
    url = reverse("dialogues:list")
    for _ in range(2):
        _full_dialogue(1)
    small = _queries(client, url)
    for _ in range(18):
        _full_dialogue(1)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
    assert _queries(client, url) == small
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_detail_query_count(client, curator, django_assert_max_num_queries):
    """Guards against N+1: a dialogue with 1 or 10 sessions, papers and actions costs the same."""
    client.force_login(curator)
    small = _queries(client, detail(_full_dialogue(1)))
    large = _queries(client, detail(_full_dialogue(10)))
    assert small == large
    url = detail(_full_dialogue(3))
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_series_query_count(client, django_assert_max_num_queries):
    """Guards against N+1: a series of 2 or 12 dialogues costs the same number of queries."""
    series = DialogueSeriesFactory()
    url = reverse("dialogues:series", args=[series.slug])
    for _ in range(2):
        _full_dialogue(2, series=series)
    small = _queries(client, url)
    for _ in range(10):
        _full_dialogue(2, series=series)
    assert _queries(client, url) == small
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_filter_choices_do_not_reveal_hidden_dialogues(client, restricted, allowed):
    DialogueFactory(countries=["TZ"], start_date=datetime.date(2025, 3, 1))
    restricted.countries.set(["BO"])
    restricted.start_date = datetime.date(2019, 1, 1)
    restricted.save()
    form = client.get(reverse("dialogues:list")).context["filter"].form
    assert [c.code for c in form.fields["country"].queryset] == ["TZ"]
    assert [value for value, _ in form.fields["year"].choices if value] == ["2025"]
    client.force_login(allowed)
    form = client.get(reverse("dialogues:list")).context["filter"].form
    assert {c.code for c in form.fields["country"].queryset} == {"TZ", "BO"}
    assert [value for value, _ in form.fields["year"].choices if value] == ["2025", "2019"]
