"""Citation exports parsed back by real parsers (bibtexparser, rispy)."""

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from asmhub.taxonomy.models import Language
from tests.factories import OrganisationFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource():
    resource = ResourceFactory(
        title="Mercury & gold: 50% less {amalgam} in Puno_2024",
        authors="Rosa Quispe; Martín Salas",
        year=2024,
        organisation=OrganisationFactory(name="Centro Andino de Estudios Mineros"),
        summary="Line one.\nLine two.",
    )
    resource.tags.add("mercury", "gravity")
    resource.languages.set([Language.objects.get(code="es")])
    return resource


def test_bibtex_parses_back(client, resource):
    response = client.get(reverse("resources:cite_bibtex", args=[resource.slug]))
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"].startswith("attachment;")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "Rosa Quispe and Martín Salas"
    assert fields["year"] == "2024"
    assert fields["institution"] == "Centro Andino de Estudios Mineros"
    assert fields["title"] == r"Mercury \& gold: 50\% less \{amalgam\} in Puno\_2024"
    assert fields["url"].endswith(resource.get_absolute_url())


def test_ris_parses_back(client, resource):
    response = client.get(reverse("resources:cite_ris", args=[resource.slug]))
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == resource.title
    assert entry["authors"] == ["Rosa Quispe", "Martín Salas"]
    assert entry["year"] == "2024"
    assert entry["publisher"] == "Centro Andino de Estudios Mineros"
    assert sorted(entry["keywords"]) == ["gravity", "mercury"]
    assert entry["abstract"] == "Line one. Line two."
    assert entry["urls"][0].endswith(resource.get_absolute_url())


def test_minimal_resource_still_cites(client):
    resource = ResourceFactory(authors="", year=None, resource_type="dataset")
    bib = client.get(reverse("resources:cite_bibtex", args=[resource.slug])).content.decode()
    assert bibtexparser.parse_string(bib).entries[0].entry_type == "misc"
    ris = client.get(reverse("resources:cite_ris", args=[resource.slug])).content.decode()
    assert rispy.loads(ris)[0]["type_of_reference"] == "DATA"
