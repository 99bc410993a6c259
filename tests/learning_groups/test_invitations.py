"""Invitations: signed, expiring, single-use; the invitee may sign up first; clear error pages."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning_groups import services
from learning_groups.models import Activity, Membership
from learning_groups.selectors import invitation_from_key

from .factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_coordinator_invites_by_email(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/groups/tanzania/invitations/",
            {"email": "New.Person@Example.org", "role": "member", "message": "Karibu!"},
        )
    assert response.status_code == 302
    invitation = world.group.invitations.get(email="new.person@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "https://hub.example.org" + invitation.get_absolute_url() in message.body
    assert "Karibu!" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert Activity.objects.filter(verb="invited", actor=world.coordinator).exists()


def test_recent_activity_shows_invitees_masked_to_members(
    client, world, django_capture_on_commit_callbacks
):
    """Every member saw invitees' full addresses in "Recent activity" (and the digest)."""
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/groups/tanzania/invitations/",
            {"email": "amani@mining.example.org", "role": "member"},
            follow=True,  # the coordinator reads their own "Invitation sent to …" message
        )
    activity = Activity.objects.get(verb="invited", actor=world.coordinator)
    assert activity.subject == "a…@mining.example.org"
    client.force_login(world.member)
    html = client.get("/groups/tanzania/").content.decode()
    assert "a…@mining.example.org" in html
    assert "amani@mining.example.org" not in html
    # Coordinators still see the address where they manage invitations.
    client.force_login(world.coordinator)
    assert (
        "amani@mining.example.org" in client.get("/groups/tanzania/invitations/").content.decode()
    )


def test_old_activity_rows_are_masked_by_the_migration(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("learning_groups.migrations.0006_mask_invitee_emails_in_activity")
    Activity.objects.create(group=world.group, verb="invited", subject="neema@example.org")
    migration.mask(apps, None)
    assert Activity.objects.get(subject__endswith="@example.org").subject == "n…@example.org"


def test_inviting_a_member_again_is_refused_beside_the_field(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        "/groups/tanzania/invitations/", {"email": "member@example.org", "role": "member"}
    )
    assert response.status_code == 200
    assert "already a member" in response.context["form"].errors["email"][0]


def test_link_is_signed(world):
    assert invitation_from_key(world.invitation.key) == world.invitation
    assert invitation_from_key(world.invitation.key + "x") is None
    assert invitation_from_key(world.invitation.token) is None  # the bare token is not enough


def test_invitee_without_account_is_asked_to_sign_up_and_comes_back(client, world):
    url = world.invitation.get_absolute_url()  # the signed key carries a timestamp: once
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "/accounts/signup/?next=" in html
    assert url.endswith(client.session["group_invitation"] + "/")


def test_invitee_joins_after_signing_in(client, world):
    invitee = UserFactory(email=world.invitation.email)
    client.force_login(invitee)
    response = client.post(world.invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.filter(group=world.group, user=invitee, role="member").exists()
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_by == invitee
    # Single use: a second click explains instead of failing.
    again = client.get(world.invitation.get_absolute_url())
    assert "already accepted" in again.content.decode()


def test_invitation_to_coordinator_role(world):
    invitation = InvitationFactory(group=world.group, role="coordinator")
    invitee = UserFactory(email=invitation.email)
    membership = services.invitation_accept(invitation=invitation, user=invitee)
    assert membership.is_coordinator


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("expired", "has expired"),
        ("used", "already been used"),
        ("someone_else", "was sent to"),
        ("revoked", "withdrawn"),
        ("tampered", "not valid"),
    ],
)
def test_unusable_invitation_gets_a_clear_page(client, world, case, text):
    invitation = world.invitation
    url = invitation.get_absolute_url()
    invitee = UserFactory(email=invitation.email)
    client.force_login(invitee)
    if case == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
        invitation.save()
    elif case == "used":
        services.invitation_accept(invitation=invitation, user=invitee)
        client.force_login(world.outsider)  # someone else tries the used link
    elif case == "someone_else":
        client.force_login(world.outsider)
    elif case == "revoked":
        invitation.revoked = True
        invitation.save()
    elif case == "tampered":
        url = url[:-3] + "xx/"
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 200
        assert text in response.content.decode()
    assert not Membership.objects.filter(group=world.group, user=world.outsider).exists()


def test_used_invitation_cannot_be_used_twice_by_the_service(world):
    invitee = UserFactory(email=world.invitation.email)
    services.invitation_accept(invitation=world.invitation, user=invitee)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=world.invitation, user=invitee)
    assert error.value.code == "already_member"


def test_unverified_address_is_not_enough(world):
    invitee = UserFactory(email=world.invitation.email, verified=False)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=world.invitation, user=invitee)
    assert error.value.code == "someone_else"


def test_secondary_verified_address_counts(world):
    EmailAddress.objects.create(
        user=world.outsider, email=world.invitation.email, verified=True, primary=False
    )
    services.invitation_accept(invitation=world.invitation, user=world.outsider)
    assert Membership.objects.filter(group=world.group, user=world.outsider).exists()


def test_withdrawn_invitation_sends_nothing_and_cannot_be_used(client, world):
    client.force_login(world.coordinator)
    client.post(f"/groups/tanzania/invitations/{world.invitation.pk}/withdraw/")
    world.invitation.refresh_from_db()
    assert world.invitation.revoked


def test_my_groups_offers_the_invitation_kept_in_the_session(client, world):
    url = world.invitation.get_absolute_url()
    client.get(url)  # opened while signed out
    client.force_login(UserFactory(email=world.invitation.email))
    html = client.get("/groups/mine/").content.decode()
    assert f'href="{url}"' in html
