"""Exports: the PDF holds the indicator values; CSV and JSON parse back to the stored values."""

import csv
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from outlooks import services
from outlooks.models import SectionText
from tests.outlooks.helpers import published_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(methodology, indicators, sections):
    edition = published_edition(
        methodology,
        values={
            indicators["asm-miners"]: {"low": 1000000, "high": 1700000},
            indicators["share-women"]: "27.5",
            indicators["asm-policy"]: {"yes_no": True},
        },
    )
    SectionText.objects.create(
        edition=edition, section=sections["sector-overview"], body="Gold from **Geita**."
    )
    edition.revisions.update(snapshot=services.build_snapshot(edition))
    return edition


def get(client, name, edition, query=""):
    path = reverse(f"outlooks:{name}", args=[edition.country_id, edition.year])
    return client.get(path + query)


def test_pdf_is_generated_with_the_indicator_values(client, edition):
    response = get(client, "export_pdf", edition)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "1,000,000–1,700,000 people" in text
    assert "27.5%" in text
    assert "Estimated number of ASM miners" in text
    assert "Geita" in text
    assert "Mining cadastre" in text


def test_csv_parses_back_to_the_stored_values(client, edition):
    response = get(client, "export_csv", edition)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["asm-miners"]["low"] == "1000000"
    assert rows["asm-miners"]["high"] == "1700000"
    assert rows["asm-miners"]["value"] == ""
    assert rows["share-women"]["value"] == "27.5"
    assert rows["asm-policy"]["yes_no"] == "yes"
    assert rows["share-women"]["country"] == "TZ"
    assert rows["share-women"]["source_citation"] == "Mining cadastre"


def test_json_export(client, edition):
    data = json.loads(get(client, "export_json", edition).content)
    assert data["country"] == "TZ"
    assert data["revision"] == 1
    values = {item["code"]: item for item in data["indicators"]}
    assert values["share-women"]["value"] == "27.5"
    assert values["asm-miners"]["value"] is None
    assert values["asm-policy"]["yes_no"] is True


def test_earlier_revision_exports(client, edition, curator, indicators):
    services.edition_correct(
        actor=curator,
        edition=edition,
        change_note="Survey corrected.",
        values={indicators["share-women"]: {"value": 30}},
    )
    now = json.loads(get(client, "export_json", edition).content)
    before = json.loads(get(client, "export_json", edition, "?revision=1").content)
    assert {i["code"]: i["value"] for i in now["indicators"]}["share-women"] == "30"
    assert {i["code"]: i["value"] for i in before["indicators"]}["share-women"] == "27.5"


def test_csv_keeps_formula_like_text_inert(client, methodology, indicators):
    edition = published_edition(
        methodology,
        values={
            indicators["lsm-relations"]: {"text_value": '=HYPERLINK("http://x")'},
        },
    )
    rows = list(csv.DictReader(io.StringIO(get(client, "export_csv", edition).content.decode())))
    assert rows[0]["text"] == '\'=HYPERLINK("http://x")'
