"""Browser journey on Outlooks: a coordinator fills two indicators and submits, a curator
publishes, and a visitor compares two countries; axe-core finds nothing on those pages."""

import re

import pytest

from asmhub.taxonomy.models import Country
from outlooks.models import Edition
from tests.factories import PASSWORD, CuratorFactory, LearningGroupFactory, MembershipFactory
from tests.outlooks.factories import (
    EditionFactory,
    IndicatorDefinitionFactory,
    MethodologyFactory,
    SectionDefinitionFactory,
)
from tests.outlooks.helpers import published_edition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/profile/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_coordinator_submits_curator_publishes_visitor_compares(page, axe):
    methodology = MethodologyFactory()
    SectionDefinitionFactory(
        methodology=methodology, slug="sector-overview", title="Sector overview"
    )
    miners = IndicatorDefinitionFactory(
        methodology=methodology, code="asm-miners", name="Estimated number of ASM miners"
    )
    share = IndicatorDefinitionFactory(
        methodology=methodology,
        code="share-women",
        name="Share of women among ASM miners",
        unit="%",
        kind="percentage",
    )
    group = LearningGroupFactory(slug="tz", country=Country.objects.get(code="TZ"))
    coordinator = MembershipFactory(group=group, role="coordinator").user
    curator = CuratorFactory()
    draft = EditionFactory(methodology=methodology, title="National ASM Outlook: Tanzania 2026")
    published_edition(methodology, country="PE", year=2025, values={miners: "400000", share: "12"})

    # A coordinator fills two indicators and submits the edition for review.
    sign_in(page, coordinator.email)
    page.goto(f"/outlooks/TZ/{draft.year}/edit/")
    axe(page)
    page.get_by_role("link", name="Estimated number of ASM miners").click()
    page.get_by_label("Low estimate (people)").fill("1700000")
    page.get_by_label("High estimate (people)").fill("1000000")
    page.get_by_label("Source citation").fill("Mining cadastre 2025")
    page.get_by_role("button", name="Save indicator").click()
    assert "The high estimate must not be below the low estimate." in page.content()
    axe(page)
    assert page.get_by_label("Source citation").input_value() == "Mining cadastre 2025"
    page.get_by_label("Low estimate (people)").fill("1000000")
    page.get_by_label("High estimate (people)").fill("1700000")
    page.get_by_role("button", name="Save indicator").click()
    page.wait_for_url(f"**/outlooks/TZ/{draft.year}/edit/")
    page.get_by_role("link", name="Share of women among ASM miners").click()
    page.get_by_label("Value (%)").fill("27")
    page.get_by_label("Source citation").fill("Gender survey 2024")
    page.get_by_role("radio", name="High").check()
    page.get_by_role("button", name="Save indicator").click()
    page.wait_for_url(f"**/outlooks/TZ/{draft.year}/edit/")
    assert "1,000,000–1,700,000 people" in page.content()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/outlooks/TZ/{draft.year}/")
    assert "In review" in page.content()
    sign_out(page)

    # A curator publishes it.
    sign_in(page, curator.email)
    page.goto(f"/outlooks/TZ/{draft.year}/")
    axe(page)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/outlooks/TZ/{draft.year}/")
    assert "The edition is published." in page.content()
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    sign_out(page)

    # A visitor compares Tanzania and Peru.
    page.goto("/outlooks/")
    axe(page)
    page.get_by_role("link", name="Compare countries").click()
    page.get_by_label("Estimated number of ASM miners (people)").check()
    page.get_by_label("Share of women among ASM miners (%)").check()
    page.get_by_label("Tanzania").check()
    page.get_by_label("Peru").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/outlooks/compare/?*")
    table = page.get_by_role("table", name="Estimated number of ASM miners by country and edition")
    assert "1,000,000–1,700,000 people" in table.inner_text()
    assert "400,000 people" in table.inner_text()
    assert page.get_by_role("img", name=re.compile("latest published value")).count() == 2
    axe(page)
    page.goto(f"/outlooks/TZ/{draft.year}/")
    axe(page)
