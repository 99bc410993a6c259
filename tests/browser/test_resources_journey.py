"""Browser journey of the library: a partner submits a PDF, a curator publishes it in admin,
a visitor finds it by a word inside the PDF. axe-core checks the submit, list and detail pages."""

import re

import pytest

from asmhub.access import is_curator
from resources.pdf import make_pdf
from tests.browser.harness import expect
from tests.factories import PASSWORD, CuratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORD = "xylocombe"  # only inside the PDF: not in the title, summary or tags


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/profile/")


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_submit_review_publish_and_find_by_a_word_inside_the_pdf(page, axe, tmp_path):
    partner = UserFactory()
    curator = CuratorFactory()  # staff in the Curators group, not a superuser
    assert is_curator(curator) and not curator.is_superuser
    pdf = tmp_path / "sluice-trial.pdf"
    pdf.write_bytes(
        make_pdf(
            title="Sluice trial",
            paragraphs=[f"The {WORD} riffle held fine gold better than carpet in every run."],
        )
    )

    _sign_in(page, partner.email)
    page.goto("/resources/submit/")
    axe(page)
    page.locator("#id_title").fill("Sluice trials at Nyarugusu")
    page.locator("#id_summary").fill("Six weeks of side-by-side sluice trials with miners.")
    page.locator("#id_year").fill("2024")
    page.locator("#id_files-0-file").set_input_files(str(pdf))
    page.locator("#id_files-0-language").select_option("en")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/resources/mine/")
    expect(page.get_by_text("Pending review")).to_be_visible()
    _sign_out(page)

    # Not published yet: a visitor finds nothing.
    page.goto(f"/resources/?q={WORD}")
    assert "Sluice trials at Nyarugusu" not in page.content()

    _sign_in(page, curator.email)
    page.goto("/admin/resources/resource/?status__exact=pending")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.get_by_text("1 resource published.")).to_be_visible()
    page.goto("/")
    _sign_out(page)

    page.goto("/resources/")
    page.get_by_label("Words to look for").fill(WORD)
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url(f"**/resources/?q={WORD}*")
    axe(page)
    page.get_by_role("link", name="Sluice trials at Nyarugusu").click()
    page.wait_for_url("**/resources/sluice-trials-at-nyarugusu/")
    assert "PDF" in page.content()
    axe(page)
