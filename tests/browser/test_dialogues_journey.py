"""Browser journey: a visitor finds a dialogue through the filters and reads its record."""

import datetime

import pytest

from asmhub.taxonomy.models import StakeholderType
from tests.dialogues.factories import (
    DialogueFactory,
    DialogueSeriesFactory,
    FollowUpActionFactory,
    FollowUpUpdateFactory,
    ParticipationCountFactory,
    SessionFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def dialogues():
    series = DialogueSeriesFactory(title="ASM, large-scale mining and governments")
    arusha = DialogueFactory(
        title="Sharing concessions in Arusha",
        series=series,
        scope="international",
        countries=["TZ", "PE"],
        themes=["asm-lsm-relations"],
        outcome_summary="Evictions without alternatives had failed everywhere.",
        key_agreements="Co-existence agreements should be public.",
        continued_disagreements="Liability on shared land.",
        time_zone="Africa/Dar_es_Salaam",
    )
    for slug, women, men in [("government", 5, 9), ("asm-miners", 6, 8), ("researcher", 3, 2)]:
        ParticipationCountFactory(
            dialogue=arusha,
            stakeholder_type=StakeholderType.objects.get(slug=slug),
            women=women,
            men=men,
        )
    SessionFactory(dialogue=arusha, title="Opening: what is at stake")
    action = FollowUpActionFactory(dialogue=arusha, description="Publish a model agreement")
    FollowUpUpdateFactory(action=action, date=datetime.date(2025, 4, 1), status="in-progress")
    FollowUpUpdateFactory(action=action, date=datetime.date(2025, 9, 1), status="done")
    DialogueFactory(title="Formalisation in Antioquia", countries=["CO"])
    DialogueFactory(title="A restricted quarry dialogue", visibility="restricted")
    return arusha


def test_visitor_filters_the_list_and_reads_a_dialogue(page, axe, dialogues):
    page.goto("/dialogues/")
    assert page.get_by_role("heading", name="Sector dialogues", level=1).is_visible()
    assert page.get_by_role("link", name="Formalisation in Antioquia").is_visible()
    assert page.get_by_text("A restricted quarry dialogue").count() == 0
    axe(page)

    page.get_by_label("Country").select_option("TZ")
    page.get_by_role("button", name="Show dialogues").click()
    page.wait_for_url("**/dialogues/?*country=TZ*")
    assert page.get_by_role("link", name="Formalisation in Antioquia").count() == 0
    page.get_by_role("link", name="Sharing concessions in Arusha").click()

    page.wait_for_url(f"**{dialogues.get_absolute_url()}")
    assert page.get_by_role("heading", name="Sharing concessions in Arusha").is_visible()
    chart = page.get_by_role("img", name="Balance of voices")
    assert chart.is_visible()
    assert page.get_by_role("table").get_by_role("rowheader", name="Government").is_visible()
    assert page.get_by_text("Evictions without alternatives had failed everywhere.").is_visible()
    assert page.locator(".follow-up").get_by_text("Done", exact=True).is_visible()
    page.get_by_text("History").click()
    assert page.get_by_text("In progress").first.is_visible()
    axe(page)

    page.get_by_role("link", name="ASM, large-scale mining and governments").click()
    assert page.get_by_text("Follow-up: 1 of 1 actions done").is_visible()
    axe(page)


@pytest.mark.parametrize("path", ["/", "/countries/TZ/", "/search/?q=concessions"])
def test_portal_pages_with_dialogue_sections_have_no_axe_violations(page, axe, dialogues, path):
    page.goto(path)
    assert page.get_by_role("link", name="Sharing concessions in Arusha").first.is_visible()
    axe(page)
