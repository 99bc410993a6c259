"""Library search expanded through the glossary: other languages found, ranked below the
exact words, said on the page, and switched off with exact=1."""

import pytest

from asmhub.glossary.selectors import forget_index
from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_index()


def titles(client, **params):
    response = client.get("/resources/", params)
    assert response.status_code == 200
    return [r.title for r in response.context["found"].results], response


def test_other_language_documents_follow_the_exact_words(client):
    indexed_resource(title="La formalización de la minería", languages=["es"])
    indexed_resource(title="La formalisation de l'orpaillage", languages=["fr"])
    indexed_resource(title="Notes", summary="Formalización paso a paso.", languages=["es"])
    shown, response = titles(client, q="formalización")
    # Exact words first (title beats summary), then the equivalent (French) below them.
    assert shown == [
        "La formalización de la minería",
        "Notes",
        "La formalisation de l'orpaillage",
    ]
    html = response.content.decode()
    assert "Also searched:" in html and "formalisation</span> (fr)" in html
    assert "exact=1" in html


def test_exact_only_switches_expansion_off(client):
    indexed_resource(title="Retort designs", languages=["en"])
    indexed_resource(title="Diseño de retortas", languages=["es"])
    indexed_resource(title="Cornues artisanales", languages=["fr"])
    shown, _response = titles(client, q="retort")
    assert shown == ["Retort designs", "Diseño de retortas", "Cornues artisanales"]
    shown, response = titles(client, q="retort", exact="1")
    # Spanish stemming finds "retortas" itself (an exact match); the French word is gone.
    assert shown == ["Retort designs", "Diseño de retortas"]
    assert "Also searched:" not in response.content.decode()


def test_exclusions_hold_for_the_equivalents_too(client):
    indexed_resource(title="Cornues et mercure", languages=["fr"])
    indexed_resource(title="Cornues artisanales", languages=["fr"])
    shown, _response = titles(client, q="retort -mercure")
    assert shown == ["Cornues artisanales"]
