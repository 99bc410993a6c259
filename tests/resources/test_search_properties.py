"""Property-based tests of the search-query parser (hypothesis), run against PostgreSQL.

Whatever is typed in `q` (any Unicode, NUL and control characters, stray quotes, dangling
minus signs and ORs) the search never raises and never builds SQL PostgreSQL refuses; and
over a small library of invented words, quoted phrases, OR and -word select exactly the
resources the websearch syntax promises.
"""

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.filters import ResourceFilterSet
from resources.models import Resource
from resources.search import split_exclusions
from resources.selectors import resource_search
from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db

# Invented words: no stemmer, stop-word list or glossary knows them, in any configuration.
WORDS = ["zorvik", "quatlo", "mirbon", "daxter", "pelquin"]
TITLES = [
    "zorvik quatlo",
    "quatlo zorvik",
    "zorvik mirbon daxter",
    "daxter pelquin",
    "pelquin",
    "mirbon quatlo pelquin",
    "zorvik daxter quatlo",
]
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any code point (NUL and control characters included) mixed with websearch and tsquery syntax.
hostile_text = st.lists(
    st.one_of(
        st.text(max_size=6),
        st.sampled_from(['"', "-", " ", " OR ", "or", "&", "|", "!", "(", ")", ":*", "'", "\\"]),
    ),
    max_size=12,
).map("".join)


@pytest.fixture
def library(db):
    return {title: indexed_resource(title=title, summary="Field notes.") for title in TITLES}


def as_query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def matching(params: dict) -> set[str]:
    query = as_query(params)
    filterset = ResourceFilterSet(query, queryset=Resource.objects.published())
    return set(filterset.qs.values_list("title", flat=True))


@PROPERTY_SETTINGS
@given(text=hostile_text)
def test_any_text_never_raises_nor_breaks_the_sql(library, text):
    matching({"q": text})  # the filter the list page and the feeds use
    found = resource_search(params=as_query({"q": text}))
    assert found.total is None or found.total >= 0


@given(text=hostile_text)
def test_split_exclusions_never_raises_and_loses_no_word(text):
    wanted, excluded = split_exclusions(text)
    if '"' in text:
        return  # words after a quote belong to a phrase ('"a -b' is one phrase): never raises
    for word in text.split():
        if word.startswith("-") and len(word) > 1:
            assert word[1:] in excluded
        elif word != "-":
            assert word in wanted


def _has(title: str, word: str) -> bool:
    return word in title.split()


def _has_phrase(title: str, first: str, second: str) -> bool:
    words = title.split()
    return any(words[i : i + 2] == [first, second] for i in range(len(words) - 1))


word = st.sampled_from(WORDS)


@PROPERTY_SETTINGS
@given(wanted=st.lists(word, min_size=1, max_size=2), unwanted=st.lists(word, max_size=2))
def test_words_and_minus_words(library, wanted, unwanted):
    query = " ".join([*wanted, *(f"-{w}" for w in unwanted)])
    expected = {
        t
        for t in TITLES
        if all(_has(t, w) for w in wanted) and not any(_has(t, w) for w in unwanted)
    }
    assert matching({"q": query}) == expected


@PROPERTY_SETTINGS
@given(first=word, second=word)
def test_quoted_phrase_needs_the_words_side_by_side(library, first, second):
    expected = {t for t in TITLES if _has_phrase(t, first, second)}
    assert matching({"q": f'"{first} {second}"'}) == expected


@PROPERTY_SETTINGS
@given(first=word, second=word)
def test_or_takes_either_word(library, first, second):
    expected = {t for t in TITLES if _has(t, first) or _has(t, second)}
    assert matching({"q": f"{first} OR {second}"}) == expected


@PROPERTY_SETTINGS
@given(first=word, second=word, unwanted=word)
def test_phrase_with_an_exclusion(library, first, second, unwanted):
    expected = {t for t in TITLES if _has_phrase(t, first, second) and not _has(t, unwanted)}
    assert matching({"q": f'"{first} {second}" -{unwanted}'}) == expected
