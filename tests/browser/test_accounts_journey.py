"""Browser journeys on the foundation: accessibility of key pages, sign up and sign in."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_key_pages_have_no_axe_violations(page, axe, path):
    page.goto(path)
    axe(page)


def test_person_signs_up_confirms_and_signs_in(page, axe):
    page.goto("/")
    page.get_by_role("link", name="Join the network").click()
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert "Verify Your Email Address" in page.content()

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/profile/")
    axe(page)

    page.get_by_label("Display name").fill("Rosa Q.")
    page.get_by_role("button", name="Save profile").click()
    assert "Your profile has been saved" in page.content()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.get_by_label("Display name").input_value() == "Rosa Q."
