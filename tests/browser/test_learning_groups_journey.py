"""Browser journey of a learning group: invite, sign up from the link, join, schedule, RSVP."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import PASSWORD, LearningGroupFactory, MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_invite_sign_up_join_schedule_and_rsvp(page, browser, live_server, axe):
    group = LearningGroupFactory(slug="tanzania", name="Tanzania Learning Group")
    coordinator = UserFactory(email="amani@example.org")
    MembershipFactory(group=group, user=coordinator, role="coordinator")

    # The coordinator invites a person by email.
    _sign_in(page, "amani@example.org")
    page.goto("/groups/tanzania/invitations/")
    page.get_by_label("Email address of the person to invite").fill("rosa@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to rosa@example.org" in page.content()
    invitation = re.search(r"https?://[^/\s]+(/groups/invitations/[^\s]+/)", mail.outbox[-1].body)
    link = invitation.group(1)

    # The invitee has no account: they sign up from the link, confirm, and join.
    invitee = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    rosa = invitee.new_page()
    rosa.set_default_timeout(15_000)
    rosa.goto(link)
    assert "You are invited to join" in rosa.content()
    rosa.get_by_role("link", name="Sign up").click()
    rosa.get_by_label("Email").fill("rosa@example.org")
    rosa.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    rosa.get_by_label("Password (again)").fill(PASSWORD)
    rosa.get_by_role("button", name="Sign Up").click()
    rosa.wait_for_url("**/accounts/confirm-email/")
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    rosa.goto(confirm.group(1))
    rosa.get_by_role("button", name="Confirm").click()
    rosa.wait_for_load_state()
    # allauth carries ?next= through sign-up and confirmation: back on the invitation.
    assert "/groups/invitations/" in rosa.url, rosa.url
    rosa.get_by_role("button", name="Join the group").click()
    rosa.wait_for_url("**/groups/tanzania/")
    assert "Welcome to Tanzania Learning Group" in rosa.content()
    axe(rosa)

    # The coordinator schedules a meeting.
    page.goto("/groups/tanzania/meetings/new/")
    page.get_by_label("Title").fill("Policy brief review")
    day = timezone.now().date() + timedelta(days=30)
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Ends").fill(f"{day}T12:00")
    page.get_by_label("Place").fill("Mwanza")
    page.get_by_label("Agenda").fill("1. The draft brief\n2. Next steps")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.wait_for_url(re.compile(r".*/groups/tanzania/meetings/\d+/$"))
    meeting_url = page.url
    assert any("New meeting: Policy brief review" in m.subject for m in mail.outbox)

    # The new member says they will attend.
    rosa.goto("/groups/tanzania/")
    rosa.get_by_role("region", name="Upcoming meetings").get_by_role(
        "link", name="Policy brief review"
    ).click()
    assert rosa.url == meeting_url
    rosa.get_by_label("I will attend").check()
    rosa.get_by_role("button", name="Send my answer").click()
    assert "your answer has been saved" in rosa.content()
    assert rosa.get_by_label("I will attend").is_checked()
    assert "Will attend: 1" in rosa.content()
    axe(rosa)
    invitee.close()


def test_group_pages_have_no_axe_violations(page, axe):
    group = LearningGroupFactory(slug="peru", name="Peru Learning Group", time_zone="America/Lima")
    coordinator = UserFactory(email="rosa.q@example.org")
    MembershipFactory(group=group, user=coordinator, role="coordinator")
    MembershipFactory(group=group)
    LearningGroupFactory(slug="bolivia", name="Bolivia Learning Group")
    _sign_in(page, "rosa.q@example.org")
    for path in [
        "/groups/",
        "/groups/mine/",
        "/groups/bolivia/",  # the public page with "ask to join"
        "/groups/peru/members/",
        "/groups/peru/invitations/",
        "/groups/peru/settings/",
        "/groups/peru/documents/",
        "/groups/peru/meetings/new/",
    ]:
        page.goto(path)
        axe(page)
