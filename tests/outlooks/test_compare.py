"""The comparison: its numbers are the stored ones, missing stays missing, exports, counts."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from asmhub.taxonomy.models import Country
from outlooks import selectors
from tests.outlooks.helpers import many_indicators, published_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(methodology, indicators):
    miners, share = indicators["asm-miners"], indicators["share-women"]
    published_edition(methodology, country="TZ", year=2024, values={miners: "1000000"})
    published_edition(methodology, country="TZ", year=2026, values={miners: "1200000", share: "29"})
    # Peru gives no miners figure: it must stay missing, never become zero.
    published_edition(methodology, country="PE", year=2025, values={share: "12"})
    return indicators


def query(*codes, countries=("TZ", "PE")):
    return "?" + "&".join([f"indicator={c}" for c in codes] + [f"country={c}" for c in countries])


def test_selector_numbers_equal_stored_values_and_missing_stays_none(data):
    result = selectors.compare(
        indicators=[data["asm-miners"], data["share-women"]],
        countries=list(Country.objects.filter(code__in=["TZ", "PE"]).order_by("name")),
    )
    assert result["years"] == [2024, 2025, 2026]
    miners = {row["country"].code: row for row in result["blocks"][0]["rows"]}
    tz = [c["item"]["value"] if c["item"] else None for c in miners["TZ"]["cells"]]
    assert tz == ["1000000", None, "1200000"]
    pe = miners["PE"]["cells"]
    assert [c["item"] for c in pe] == [None, None, None]
    assert [c["central"] for c in pe] == [None, None, None]
    assert pe[1]["has_edition"] is True
    assert miners["PE"]["latest"] is None
    share = {row["country"].code: row for row in result["blocks"][1]["rows"]}
    assert share["PE"]["latest"]["central"] == Decimal("12")


def test_page_shows_values_and_missing_not_zero(client, data):
    response = client.get(reverse("outlooks:compare") + query("asm-miners", "share-women"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1,200,000 people" in html and "1,000,000 people" in html
    # Bars for both; a time series only for miners (Tanzania has two editions with a value).
    assert html.count('<svg class="chart" role="img"') == 3
    assert "no data" in html  # Peru's missing miners figure in the chart
    assert "missing" in html
    assert ">0 people<" not in html
    assert "style=" not in html


def test_unknown_codes_are_ignored(client, data):
    response = client.get(
        reverse("outlooks:compare") + query("asm-miners", "nope", countries=["TZ", "ZZ"])
    )
    assert response.status_code == 200
    assert "1,200,000 people" in response.content.decode()


def test_drafts_never_appear(client, methodology, data):
    from outlooks.models import IndicatorValue
    from tests.outlooks.factories import EditionFactory

    draft = EditionFactory(methodology=methodology, country=Country.objects.get(code="BO"))
    IndicatorValue.objects.create(
        edition=draft, indicator=data["asm-miners"], value=777, source_citation="x"
    )
    html = client.get(reverse("outlooks:compare") + query("asm-miners", countries=["BO", "TZ"]))
    assert "777" not in html.content.decode()


def test_csv_export_matches(client, data):
    response = client.get(reverse("outlooks:compare_csv") + query("asm-miners", "share-women"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    got = {(r["country"], r["year"], r["code"]): r["value"] for r in rows}
    assert got == {
        ("TZ", "2024", "asm-miners"): "1000000",
        ("TZ", "2026", "asm-miners"): "1200000",
        ("TZ", "2026", "share-women"): "29",
        ("PE", "2025", "share-women"): "12",
    }


def test_json_export_matches(client, data):
    response = client.get(reverse("outlooks:compare_json") + query("share-women"))
    payload = json.loads(response.content)
    assert payload["indicators"] == ["share-women"]
    assert sorted((v["country"], v["value"]) for v in payload["values"]) == [
        ("PE", "12"),
        ("TZ", "29"),
    ]


def test_comparison_query_count(client, django_assert_max_num_queries, methodology):
    """Guards against N+1: the comparison runs the same queries for 1 or 6 countries × 10."""
    bulk = many_indicators(methodology, 10)
    codes = ["TZ", "PE", "CO", "BO", "ET", "IN"]
    for n, code in enumerate(codes):
        for year in (2024, 2026):
            values = dict.fromkeys(bulk, n + 1)
            published_edition(methodology, country=code, year=year, values=values)
    path = reverse("outlooks:compare")
    with django_assert_max_num_queries(8) as small:
        assert client.get(path + query(bulk[0].code, countries=["TZ"])).status_code == 200
    with django_assert_max_num_queries(8) as large:
        response = client.get(path + query(*[i.code for i in bulk], countries=codes))
    assert response.status_code == 200
    assert len(small) == len(large)


def test_cached_comparison_follows_a_correction(client, data, curator):
    from outlooks import services
    from outlooks.models import Edition

    path = reverse("outlooks:compare") + query("share-women")
    assert "29%" in client.get(path).content.decode()
    edition = Edition.objects.get(country_id="TZ", year=2026)
    services.edition_correct(
        actor=curator,
        edition=edition,
        change_note="Survey re-weighted.",
        values={data["share-women"]: {"value": Decimal("31")}},
    )
    html = client.get(path).content.decode()
    assert "31%" in html
    assert "29%" not in html
