"""Browser journey on the library: search, narrow by a facet, remove it; axe on the list."""

import pytest

from tests.browser.harness import expect
from tests.resources.helpers import indexed_resource

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_visitor_searches_narrows_and_widens_again(page, axe):
    indexed_resource(
        title="Mercury-free gold processing in Geita",
        summary="Gravity tables replace mercury amalgamation.",
        countries=["TZ"],
        languages=["en"],
    )
    indexed_resource(
        title="La minería sin mercurio en Puno",
        summary="Mesas gravimétricas en lugar del mercurio.",
        countries=["PE"],
        languages=["es"],
    )
    page.goto("/resources/")
    axe(page)
    main = page.locator("#main")

    main.get_by_label("Words to look for").fill("mercury")
    main.get_by_role("button", name="Search").click()
    page.wait_for_url("**/resources/?q=mercury*")
    expect(page.get_by_role("heading", name="2 resources")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Peru (1)").click()
    page.wait_for_url("**country=PE*")
    expect(page.get_by_role("heading", name="1 resource")).to_be_visible()
    expect(page.get_by_role("link", name="La minería sin mercurio en Puno")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="remove Country Peru").click()
    page.wait_for_url(lambda url: "country=PE" not in url)
    expect(page.get_by_role("heading", name="2 resources")).to_be_visible()

    # Spanish "mercurio" and English "mercury" share a stem; Puno is left out.
    main.get_by_label("Words to look for").fill("mercurio -puno")
    main.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=mercurio*")
    assert "sort=newest" not in page.url  # the default sort stays implicit
    expect(page.get_by_role("heading", name="1 resource")).to_be_visible()
    expect(page.get_by_role("link", name="Mercury-free gold processing in Geita")).to_be_visible()
