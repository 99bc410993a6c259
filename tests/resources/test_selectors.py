"""resource_search: facets under the current search, did-you-mean, sort, pagination, privacy."""

import pytest
from django.http import QueryDict

from resources.selectors import PER_PAGE, resource_search
from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


def search(query_string=""):
    return resource_search(params=QueryDict(query_string))


def facet_counts(found, name):
    group = next((g for g in found.facets if g.name == name), None)
    return {v.value: v.count for v in group.values} if group else {}


@pytest.fixture
def library():
    return {
        "tz_gold": indexed_resource(
            title="Gold panning in Geita",
            summary="A study.",
            countries=["TZ"],
            commodities=["gold"],
            tags=["mercury"],
            year=2022,
            languages=["en"],
        ),
        "pe_gold": indexed_resource(
            title="Gold mining cooperatives of Puno",
            summary="A study.",
            countries=["PE"],
            commodities=["gold"],
            year=2023,
            languages=["en"],
        ),
        "pe_salt": indexed_resource(
            title="Salt flats and their workers",
            summary="A study.",
            countries=["PE"],
            commodities=["salt"],
            year=2023,
            languages=["en"],
        ),
        "pending_gold": indexed_resource(
            title="Gold secret draft about Geita",
            summary="A study.",
            countries=["TZ"],
            commodities=["gold"],
            status="pending",
            published_at=None,
        ),
    }


def test_facet_counts_follow_the_search(library):
    found = search("q=gold")
    assert {r.title for r in found.results} == {
        "Gold panning in Geita",
        "Gold mining cooperatives of Puno",
    }
    assert found.total == 2
    assert facet_counts(found, "country") == {"TZ": 1, "PE": 1}
    assert facet_counts(found, "commodity") == {"gold": 2}
    assert facet_counts(found, "year") == {"2022": 1, "2023": 1}
    labels = {v.value: v.label for g in found.facets for v in g.values}
    assert labels["TZ"] == "Tanzania"
    assert labels["gold"] == "Gold"


def test_facet_filters_combine_and_can_be_removed(library):
    found = search("country=PE&commodity=salt")
    assert [r.title for r in found.results] == ["Salt flats and their workers"]
    assert facet_counts(found, "commodity") == {"salt": 1}
    removals = {(a.value, a.remove_url) for a in found.active_filters}
    assert ("Peru", "?commodity=salt") in removals
    assert ("Salt", "?country=PE") in removals
    country = next(g for g in found.facets if g.name == "country")
    assert country.values[0].active and country.values[0].url == "?commodity=salt"


def test_unpublished_never_counted_or_found(library):
    found = search("q=secret")
    assert found.results == [] and found.total == 0
    found = search("country=TZ")
    assert [r.title for r in found.results] == ["Gold panning in Geita"]
    assert facet_counts(found, "country") == {"TZ": 1}
    assert facet_counts(search(""), "country") == {"TZ": 1, "PE": 2}


def test_did_you_mean_when_nothing_found(library):
    # exact=1: "panning" is a glossary term, whose equivalent "gold pan" would find it.
    found = search("q=gould+panning&exact=1")
    assert found.results == []
    assert found.suggestion == "gold panning"
    assert found.suggestion_url == "?q=gold+panning&exact=1"
    assert search("q=gold").suggestion == ""


def test_did_you_mean_never_suggests_unpublished_words(library):
    assert search("q=secrett").suggestion == ""


def test_snippets_highlight_the_words_and_escape_html():
    indexed_resource(
        title="Report",
        summary="Tailings dams fail <b>often</b> when 1 < 2 & rains come.",
        languages=["en"],
    )
    found = search("q=tailings")
    snippet = str(found.results[0].snippet)
    assert "<mark>Tailings</mark>" in snippet
    assert "<b>" not in snippet and "&lt;" in snippet


def test_sort_by_title_and_newest(library):
    titles = [r.title for r in search("sort=title").results]
    assert titles == sorted(titles)
    newest = search("").results
    assert [r.published_at for r in newest] == sorted(
        (r.published_at for r in newest), reverse=True
    )
    assert search("q=gold").sort == "relevance"
    assert search("").sort == "newest"
    assert search("sort=bogus").sort == "newest"


def test_relevance_puts_title_matches_first():
    body = indexed_resource(
        title="Annual report", summary="Figures.", files=[("cyanide leaching " * 5, "en")]
    )
    title = indexed_resource(title="Cyanide in small mines", summary="Overview.")
    assert [r.pk for r in search("q=cyanide").results] == [title.pk, body.pk]


def test_pagination():
    for n in range(PER_PAGE + 3):
        indexed_resource(title=f"Borehole study {n}")
    first = search("q=borehole")
    assert first.total == PER_PAGE + 3
    assert len(first.results) == PER_PAGE and first.page.has_next()
    second = search("q=borehole&page=2")
    assert len(second.results) == 3
    assert not {r.pk for r in first.results} & {r.pk for r in second.results}
    assert len(search("q=borehole&page=999").results) == 3  # out of range: last page


def test_country_filter_can_include_regional_and_global():
    from asmhub.taxonomy.models import Region

    national = indexed_resource(title="Tanzania only", countries=["TZ"])
    regional = indexed_resource(title="East Africa overview", scope="regional")
    regional.regions.set([Region.objects.get(slug="east-africa")])
    indexed_resource(title="Andean overview", scope="regional").regions.set(
        [Region.objects.get(slug="andean-region")]
    )
    from resources.models import Resource
    from resources.search import resources_reindex

    resources_reindex(resource_ids=Resource.objects.values_list("pk", flat=True))
    indexed_resource(title="Worldwide guide", scope="global")
    assert {r.title for r in search("country=TZ").results} == {national.title}
    assert {r.title for r in search("country=TZ&wider=on").results} == {
        "Tanzania only",
        "East Africa overview",
        "Worldwide guide",
    }


def test_malformed_parameters_are_ignored(library):
    found = search("country=<b>&year=abc&tag=" + "x" * 300 + "&page=-4")
    assert found.total == 3
    assert found.active_filters == []


def test_broad_searches_estimate_counts_from_a_sample(library, monkeypatch):
    from resources import selectors

    # Every bucket sampled, and any match count "broad": the estimate equals the truth.
    monkeypatch.setattr(selectors, "SAMPLE_BUCKETS", 100)
    monkeypatch.setattr(selectors, "EXACT_LIMIT", 1)
    found = search("q=gold")
    assert found.estimated
    assert found.total == 2
    # ranked among the matches of the sampled buckets (here all of them)
    assert {r.title for r in found.results} == {
        "Gold panning in Geita",
        "Gold mining cooperatives of Puno",
    }
    assert facet_counts(found, "country") == {"TZ": 1, "PE": 1}
    html_exact = search("q=gold&country=TZ")
    assert not html_exact.estimated  # one match: counted exactly


def test_estimates_are_rounded():
    from resources.selectors import _about

    assert [_about(3.4), _about(0.2), _about(1234), _about(57_941.7)] == [3, 1, 1200, 58_000]


def test_snippets_come_from_the_files_when_only_they_match():
    indexed_resource(
        title="Annual report",
        summary="Figures for the year.",
        languages=["en"],
        files=[("The cooperative built settling ponds for its tailings.", "en")],
    )
    indexed_resource(title="Tailings management", summary="A guide.", languages=["en"])
    found = {r.title: str(r.snippet) for r in search("q=tailings").results}
    assert "<mark>tailings</mark>" in found["Annual report"]
    assert found["Tailings management"] == ""  # the title shows the match; summary shown
