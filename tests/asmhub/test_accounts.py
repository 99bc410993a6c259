"""Accounts: signup with mandatory email verification, login by email, profile editing."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from asmhub.profiles.models import Profile, User
from asmhub.taxonomy.models import Country, Language
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_login_and_edit_profile(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new.partner@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.partner@example.org")
    assert Profile.objects.filter(user=user).exists(), "signing up creates the profile"

    # Not verified yet: the email must be confirmed before the account can be used.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.partner@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    assert len(mail.outbox) >= 1
    link = _confirmation_link(mail.outbox[-1])
    response = client.get(link)
    assert response.status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.partner@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("profile")

    organisation = OrganisationFactory()
    response = client.post(
        reverse("profile"),
        {
            "display_name": "Neema K.",
            "organisation": organisation.pk,
            "country": "TZ",
            "stakeholder_type": "",
            "expertise": "Mercury-free gold processing",
            "languages": ["sw", "en"],
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Neema K."
    assert profile.country == Country.objects.get(code="TZ")
    assert set(profile.languages.all()) == set(Language.objects.filter(code__in=["sw", "en"]))
    assert profile.preferred_language == "fr"


def test_profile_bad_input_keeps_what_was_typed_and_explains(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "display_name": "someone@example.org",
            "country": "TZ",
            "expertise": "Gold supply chains in the Lake Zone",
            "languages": ["sw"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "please don&#x27;t use an email address" in html
    # The error sits beside the field and the field points to it.
    assert re.search(r'aria-describedby="[^"]*id_display_name_error"', html)
    assert 'aria-invalid="true"' in html
    # What the user typed is still there.
    assert 'value="someone@example.org"' in html
    assert "Gold supply chains in the Lake Zone" in html
    assert '<option value="TZ" selected>' in html


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_login_is_by_email_and_wrong_password_is_refused(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_are_rate_limited(client, settings):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    # allauth refuses further attempts for this account, even with the right password: the
    # sign-in form again, saying why.
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_admin_login_goes_through_allauth(client, user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    # A signed-in partner without staff rights gets no admin login form at all.
    client.force_login(user)
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 403 or client.get("/admin/").status_code == 302


def test_curator_reaches_admin(client, curator):
    client.force_login(curator)
    assert client.get("/admin/").status_code == 200


def test_password_reset_sends_email(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox and user.email in mail.outbox[-1].to
