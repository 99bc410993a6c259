"""Roles, removal, the last-coordinator rule, join requests and member settings."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from learning_groups import services
from learning_groups.models import Activity, JoinRequest, Membership

from .factories import LearningGroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_last_coordinator_cannot_step_down(world):
    with pytest.raises(ValidationError) as error:
        services.membership_change_role(
            membership=world.coordinator_ms, role="member", actor=world.coordinator
        )
    assert error.value.code == "last_coordinator"
    assert "at least one coordinator" in error.value.messages[0]
    world.coordinator_ms.refresh_from_db()
    assert world.coordinator_ms.is_coordinator


def test_last_coordinator_cannot_be_removed_or_leave(client, world):
    with pytest.raises(ValidationError):
        services.membership_remove(membership=world.coordinator_ms, actor=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(
        f"/groups/tanzania/members/{world.coordinator_ms.pk}/remove/", follow=True
    )
    assert "at least one coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=world.coordinator_ms.pk).exists()


def test_with_a_second_coordinator_the_first_may_step_down(world):
    services.membership_change_role(
        membership=world.member_ms, role="coordinator", actor=world.coordinator
    )
    services.membership_change_role(
        membership=world.coordinator_ms, role="member", actor=world.coordinator
    )
    assert list(world.group.memberships.coordinators()) == [world.member_ms]


def test_role_change_is_recorded_with_who_did_it(client, world):
    client.force_login(world.coordinator)
    client.post(f"/groups/tanzania/members/{world.member_ms.pk}/role/", {"role": "coordinator"})
    activity = Activity.objects.get(verb=Activity.Verb.ROLE_CHANGED)
    assert activity.actor == world.coordinator
    assert "Member → Coordinator" in activity.subject


def test_member_may_leave_but_not_remove_others(client, world):
    client.force_login(world.member)
    assert client.post(f"/groups/tanzania/members/{world.other_ms.pk}/remove/").status_code == 404
    response = client.post(f"/groups/tanzania/members/{world.member_ms.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=world.member_ms.pk).exists()
    assert Activity.objects.filter(verb="left", actor=world.member).exists()


def test_leaving_lands_on_the_groups_public_page_with_a_message(client, world):
    """Leaving redirected to the members page, now closed to the person: a 404."""
    client.force_login(world.member)
    response = client.post(f"/groups/tanzania/members/{world.member_ms.pk}/remove/", follow=True)
    assert response.redirect_chain == [("/groups/tanzania/", 302)]
    assert response.status_code == 200
    assert "You have left Tanzania Learning Group." in response.content.decode()
    assert not Membership.objects.filter(pk=world.member_ms.pk).exists()


def test_coordinator_removing_someone_stays_on_the_members_page(client, world):
    client.force_login(world.coordinator)
    response = client.post(f"/groups/tanzania/members/{world.member_ms.pk}/remove/", follow=True)
    assert response.redirect_chain == [("/groups/tanzania/members/", 302)]
    assert "The member has been removed." in response.content.decode()


def test_join_request_emails_coordinators_and_is_approved(
    client, world, django_capture_on_commit_callbacks
):
    group = world.group
    applicant = world.other_coordinator
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/groups/tanzania/join/", {"message": "I work on mercury."})
    request = JoinRequest.objects.get(group=group, user=applicant)
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    assert "I work on mercury." in mail.outbox[0].body
    # Asking twice is refused politely.
    response = client.post("/groups/tanzania/join/", follow=True)
    assert "already asked" in response.content.decode()

    client.force_login(world.coordinator)
    client.post(f"/groups/tanzania/join-requests/{request.pk}/", {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == world.coordinator
    assert Membership.objects.filter(group=group, user=applicant).exists()


def test_declined_request_makes_no_member(client, world):
    client.force_login(world.coordinator)
    client.post(f"/groups/tanzania/join-requests/{world.join_request.pk}/", {"decision": "decline"})
    world.join_request.refresh_from_db()
    assert world.join_request.status == "declined"
    assert not Membership.objects.filter(group=world.group, user=world.outsider).exists()


def test_group_closed_to_requests(world):
    group = LearningGroupFactory(accepts_join_requests=False)
    with pytest.raises(ValidationError):
        services.join_request_create(group=group, user=world.outsider)


def test_join_request_respects_coordinator_email_choice(world, django_capture_on_commit_callbacks):
    group = LearningGroupFactory()
    coordinator = MembershipFactory(group=group, role="coordinator", emails="none")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(group=group, user=world.outsider)
    assert mail.outbox == []
    assert coordinator.pk


def test_settings_page_saves_email_choice(client, world):
    client.force_login(world.member)
    client.post("/groups/tanzania/settings/", {"emails": "weekly"})
    world.member_ms.refresh_from_db()
    assert world.member_ms.emails == "weekly"


@pytest.mark.parametrize(("decision", "subject"), [("approve", "Welcome"), ("decline", "request")])
def test_applicant_hears_the_decision(
    client, world, django_capture_on_commit_callbacks, decision, subject
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/groups/tanzania/join-requests/{world.join_request.pk}/", {"decision": decision}
        )
    assert [m.to for m in mail.outbox] == [["outsider@example.org"]]
    assert subject in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
