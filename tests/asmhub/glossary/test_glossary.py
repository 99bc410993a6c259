"""The glossary: seeded terms, the public page, and what a query's terms expand to."""

import pytest

from asmhub.glossary.models import Term
from asmhub.glossary.selectors import expansions, forget_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_index()
    yield
    forget_index()


def test_at_least_150_sector_terms_are_seeded_in_five_languages():
    assert Term.objects.count() >= 150
    retort = Term.objects.get(en="retort")
    assert (retort.es, retort.fr) == ("retorta", "cornue")
    tailings = Term.objects.get(en="tailings")
    assert "relaves" in tailings.variants("es") and "résidus" in tailings.variants("fr")
    gold = Term.objects.get(en="artisanal gold mining")
    assert "orpaillage" in gold.variants("fr") and "garimpo" in gold.variants("pt")
    assert Term.objects.filter(en__startswith="galamsey").exists()
    assert Term.objects.filter(en="Minamata Convention").exists()


def test_expansion_finds_the_other_languages_and_skips_the_typed_words():
    found = {(e.text, e.language) for e in expansions("formalización minera")}
    assert {("formalisation", "en"), ("formalisation", "fr"), ("formalização", "pt")} <= found
    assert not any(text == "formalización" for text, _lang in found)


def test_accents_and_case_do_not_matter_and_longest_term_wins():
    found = {e.text for e in expansions("ARTISANAL Gold Mining in Ghana")}
    assert "orpaillage" in found
    assert "oro" not in found  # "gold" inside the longer term is not expanded on its own
    assert {e.text for e in expansions("Formalizacion")} >= {"formalisation"}


def test_excluded_words_and_operators_are_not_expanded():
    assert expansions("-retort") == []
    assert all(e.text != "or" for e in expansions("gold or silver"))


def test_a_curated_term_takes_effect_and_can_be_switched_off():
    assert expansions("kisima") == []
    term = Term.objects.create(en="well", sw="kisima", fr="puits")
    assert {e.text for e in expansions("kisima")} == {"well", "puits"}
    term.expand_search = False
    term.save()
    assert expansions("kisima") == []


def test_public_page_lists_and_searches_terms_linking_to_library_search(client):
    response = client.get("/glossary/", {"q": "cornue"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "retorta" in html and 'href="/resources/?q=retort"' in html
    assert "relaves" not in html
    # A NUL is refused by the kernel before the page (asmhub.middleware); control characters
    # are cleaned by the search field.
    assert client.get("/glossary/", {"q": "x\x00y"}).status_code == 400
    assert client.get("/glossary/", {"q": "x\x0by"}).status_code == 200


def test_glossary_page_query_count_is_constant(client, django_assert_max_num_queries):
    """Guards against N+1: one page of terms is two queries whatever the number of terms."""
    with django_assert_max_num_queries(3):
        assert client.get("/glossary/").status_code == 200
