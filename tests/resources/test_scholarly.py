"""Scholarly metadata: the DOI (normalised, validated, shown, exported), CSL-JSON, and the
Highwire Press citation_* meta tags Google Scholar and Zotero read."""

import json
import re

import bibtexparser
import pytest
import rispy
from django.core.exceptions import ValidationError
from django.urls import reverse

from asmhub.taxonomy.models import Language
from resources.doi import doi_url, normalise_doi
from resources.models import Resource, ResourceFile
from tests.factories import OrganisationFactory, ResourceFactory
from tests.resources.test_views import _error_beside, _post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.1596/978-1-4648-0000-1", "10.1596/978-1-4648-0000-1"),
        ("  doi:10.1016/J.RESOURPOL.2020.101 ", "10.1016/j.resourpol.2020.101"),
        ("https://doi.org/10.5281/zenodo.123", "10.5281/zenodo.123"),
        ("http://dx.doi.org/10.1000/ABC(1)x", "10.1000/abc(1)x"),
        ("", ""),
    ],
)
def test_doi_is_normalised(typed, stored):
    assert normalise_doi(typed) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "10.12/too-short-registrant",
        "11.1234/not-a-doi",
        "10.1234/",
        "10.1234/with space",
        "10.1234/nul\x00byte",
        "https://example.org/10.1234/abc",
        "10.1234/" + "x" * 300,
    ],
)
def test_bad_doi_is_refused(bad):
    with pytest.raises(ValidationError):
        normalise_doi(bad)


def test_doi_url_encodes_what_a_url_cannot_carry():
    assert doi_url("10.1234/a<b>#c") == "https://doi.org/10.1234/a%3Cb%3E%23c"
    assert doi_url("") == ""


def test_model_clean_normalises_and_reports_beside_the_field():
    resource = ResourceFactory(doi="")
    resource.doi = "https://doi.org/10.1234/ABC"
    resource.full_clean()
    assert resource.doi == "10.1234/abc"
    resource.doi = "not a doi"
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert "doi" in caught.value.error_dict


def test_submitter_gives_a_doi_link_and_it_is_stored_bare(client, partner):
    client.force_login(partner)
    data = _post_data(external_url="https://example.org/r", doi="https://doi.org/10.1234/XYZ")
    assert client.post(reverse("resources:submit"), data).status_code == 302
    assert Resource.objects.get().doi == "10.1234/xyz"


def test_bad_doi_gets_a_message_beside_the_field(client, partner):
    client.force_login(partner)
    data = _post_data(external_url="https://example.org/r", doi="doi:12345")
    response = client.post(reverse("resources:submit"), data)
    assert response.status_code == 200
    assert "Enter a DOI" in _error_beside(response.content.decode(), "id_doi")
    assert 'value="doi:12345"' in response.content.decode()
    assert not Resource.objects.exists()


@pytest.fixture
def resource():
    resource = ResourceFactory(
        title="Mercury & gold in Puno",
        authors="Rosa Quispe; Salas, Martín; Cooperativa Oro Verde",
        year=2024,
        organisation=OrganisationFactory(name="Centro Andino de Estudios Mineros"),
        summary="What changed when mills stopped using mercury.",
        doi="10.1234/puno.2024",
        licence="CC BY 4.0",
    )
    resource.tags.add("mercury")
    resource.languages.set([Language.objects.get(code="es")])
    ResourceFile.objects.create(
        resource=resource,
        file="a.docx",
        original_name="a.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        size=1,
    )
    ResourceFile.objects.create(
        resource=resource,
        file="b.pdf",
        original_name="b.pdf",
        content_type="application/pdf",
        size=1,
    )
    return resource


def _meta(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)


def test_detail_has_highwire_citation_tags(client, resource):
    html = client.get(resource.get_absolute_url()).content.decode()
    tags = _meta(html)
    pdf = resource.files.get(content_type="application/pdf")
    assert tags[0] == ("citation_title", "Mercury &amp; gold in Puno")
    assert [v for k, v in tags if k == "citation_author"] == [
        "Rosa Quispe",
        "Salas, Martín",
        "Cooperativa Oro Verde",
    ]
    values = dict(tags)
    assert values["citation_publication_date"] == "2024"
    assert values["citation_publisher"] == "Centro Andino de Estudios Mineros"
    assert values["citation_language"] == "es"
    assert values["citation_doi"] == "10.1234/puno.2024"
    # The PDF, not the first file, as an absolute URL.
    assert values["citation_pdf_url"] == "http://testserver" + pdf.get_absolute_url()


def test_detail_shows_the_doi_linked_to_the_resolver(client, resource):
    html = client.get(resource.get_absolute_url()).content.decode()
    assert '<a href="https://doi.org/10.1234/puno.2024" rel="noopener noreferrer">' in html
    assert reverse("resources:cite_csl_json", args=[resource.slug]) in html


def test_no_pdf_no_pdf_url_and_hostile_text_stays_inside_the_attribute(client):
    resource = ResourceFactory(title='A "quoted" <title>', authors='X "><script>', doi="")
    html = client.get(resource.get_absolute_url()).content.decode()
    values = dict(_meta(html))
    assert "citation_pdf_url" not in values and "citation_doi" not in values
    assert values["citation_title"] == "A &quot;quoted&quot; &lt;title&gt;"
    assert "<script>" not in html.split("</head>")[0].split("application/ld+json")[0]


def test_csl_json_export(client, resource):
    response = client.get(reverse("resources:cite_csl_json", args=[resource.slug]))
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert response["Content-Disposition"].startswith("attachment;")
    (item,) = json.loads(response.content)
    assert item["type"] == "report"
    assert item["title"] == "Mercury & gold in Puno"
    assert item["author"] == [
        {"family": "Quispe", "given": "Rosa"},
        {"family": "Salas", "given": "Martín"},
        {"family": "Verde", "given": "Cooperativa Oro"},
    ]
    assert item["issued"] == {"date-parts": [[2024]]}
    assert item["DOI"] == "10.1234/puno.2024"
    assert item["publisher"] == "Centro Andino de Estudios Mineros"
    assert item["language"] == "es"
    assert item["URL"].endswith(resource.get_absolute_url())


def test_csl_json_of_an_unpublished_resource_is_404(client):
    resource = ResourceFactory(status="pending")
    response = client.get(reverse("resources:cite_csl_json", args=[resource.slug]))
    assert response.status_code == 404


def test_bibtex_and_ris_carry_the_doi(client, resource):
    bib = client.get(reverse("resources:cite_bibtex", args=[resource.slug])).content.decode()
    (entry,) = bibtexparser.parse_string(bib).entries
    assert {f.key: f.value for f in entry.fields}["doi"] == "10.1234/puno.2024"
    ris = client.get(reverse("resources:cite_ris", args=[resource.slug])).content.decode()
    assert rispy.loads(ris)[0]["doi"] == "10.1234/puno.2024"
