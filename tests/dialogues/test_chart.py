"""The balance-of-voices chart: valid SVG, accessible, and the same numbers as its table."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from asmhub.taxonomy.models import StakeholderType
from dialogues.charts import balance_chart

from .factories import DialogueFactory, ParticipationCountFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


class TableReader(HTMLParser):
    """Collects the balance table's body rows as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_table, self.section, self.cell = [], False, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "balance-table") in attrs:
            self.in_table = True
        elif self.in_table and tag in ("tbody", "tfoot"):
            self.section = tag
        elif self.in_table and tag == "tr":
            self.rows.append([self.section])
        elif self.in_table and tag in ("th", "td") and self.section:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif tag in ("th", "td") and self.cell is not None and self.section:
            self.rows[-1].append(self.cell.strip())
            self.cell = None


@pytest.fixture
def dialogue():
    dialogue = DialogueFactory()
    numbers = {"government": (5, 9, 0), "asm-miners": (6, 8, 1), "ngo-civil-society": (5, 3, 0)}
    for slug, (women, men, other) in numbers.items():
        ParticipationCountFactory(
            dialogue=dialogue,
            stakeholder_type=StakeholderType.objects.get(slug=slug),
            women=women,
            men=men,
            other=other,
        )
    ParticipationCountFactory(  # a type with nobody counted is left out of chart and table
        dialogue=dialogue,
        stakeholder_type=StakeholderType.objects.get(slug="media"),
        women=0,
        men=0,
    )
    return dialogue


@pytest.fixture
def page(client, dialogue):
    return client.get(reverse("dialogues:detail", args=[dialogue.slug])).content.decode()


def svg_of(page):
    match = re.search(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert match, "no inline SVG on the page"
    # Our own page, not untrusted input; fromstring raises if it is not well-formed XML.
    return ET.fromstring(match.group(0))  # noqa: S314


def test_chart_is_valid_accessible_svg_without_style_attributes(page):
    svg = svg_of(page)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Balance of voices"
    assert "56 participants" not in svg.find(f"{SVG}desc").text
    assert "37 participants: 16 women, 20 men, 1 other" in svg.find(f"{SVG}desc").text
    assert svg.get("aria-labelledby") == "balance-title balance-desc"
    assert not [el for el in svg.iter() if el.get("style") is not None]
    assert "<script" not in page


def test_chart_numbers_match_the_table(page):
    svg = svg_of(page)
    chart = {}
    for row in svg.iter(f"{SVG}g"):
        if row.get("class") != "chart-row":
            continue
        label = row.find(f"{SVG}text[@class='chart-text chart-label']").text
        total = int(row.find(f"{SVG}text[@class='chart-text chart-value']").text)
        by_gender = {
            rect.get("class").removeprefix("chart-"): int(rect.get("data-value"))
            for rect in row.iter(f"{SVG}rect")
        }
        assert sum(by_gender.values()) == total
        chart[label] = (
            by_gender.get("women", 0),
            by_gender.get("men", 0),
            by_gender.get("other", 0),
            total,
        )

    reader = TableReader()
    reader.feed(page)
    body = {r[1]: tuple(int(n) for n in r[2:]) for r in reader.rows if r[0] == "tbody"}
    footer = [tuple(int(n) for n in r[2:]) for r in reader.rows if r[0] == "tfoot"]
    assert chart == body
    assert chart == {
        "Government": (5, 9, 0, 14),
        "ASM miners and their organisations": (6, 8, 1, 15),
        "NGO / civil society": (5, 3, 0, 8),
    }
    assert footer == [(16, 20, 1, 37)]


def test_bar_lengths_are_proportional(page):
    svg = svg_of(page)
    widths = {}
    for row in svg.iter(f"{SVG}g"):
        if row.get("class") == "chart-row":
            label = row.find(f"{SVG}text").text
            widths[label] = sum(float(r.get("width")) for r in row.iter(f"{SVG}rect"))
    longest = widths["ASM miners and their organisations"]
    assert widths["Government"] == pytest.approx(longest * 14 / 15, abs=0.05)
    assert widths["NGO / civil society"] == pytest.approx(longest * 8 / 15, abs=0.05)


def test_chart_numbers_are_not_localised(client, dialogue):
    """French uses a decimal comma; SVG coordinates must keep their decimal points."""
    url = reverse("dialogues:detail", args=[dialogue.slug])
    page = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert 'lang="fr"' in page
    svg_of(page)
    widths = re.findall(r'width="([^"]+)"', re.search(r"<svg\b.*?</svg>", page, re.DOTALL)[0])
    assert any("." in w for w in widths)
    assert not any("," in w for w in widths)


def test_no_chart_without_counts():
    assert balance_chart([]) is None
