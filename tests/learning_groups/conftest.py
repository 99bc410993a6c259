"""Fixtures for learning-group tests: a group with a coordinator, members and some content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learning_groups import services

from .factories import (
    ActionItemFactory,
    InvitationFactory,
    LearningGroupFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://hub.example.org"
    # Fast hashing: the world fixture makes several accounts per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    pass


@pytest.fixture
def world(db):
    """One group seen from every role, plus a second group with its own coordinator."""
    w = World()
    w.group = LearningGroupFactory(slug="tanzania", name="Tanzania Learning Group")
    w.coordinator = UserFactory(email="coordinator@example.org")
    w.member = UserFactory(email="member@example.org")
    w.other_member = UserFactory(email="other@example.org")
    w.outsider = UserFactory(email="outsider@example.org")
    w.coordinator_ms = MembershipFactory(group=w.group, user=w.coordinator, role="coordinator")
    w.member_ms = MembershipFactory(group=w.group, user=w.member)
    w.other_ms = MembershipFactory(group=w.group, user=w.other_member)
    w.other_group = LearningGroupFactory(slug="peru", name="Peru Learning Group")
    w.other_coordinator = UserFactory(email="peru-coordinator@example.org")
    MembershipFactory(group=w.other_group, user=w.other_coordinator, role="coordinator")
    w.meeting = MeetingFactory(group=w.group)
    w.item = ActionItemFactory(group=w.group, meeting=w.meeting, owner=w.coordinator)
    w.invitation = InvitationFactory(group=w.group, invited_by=w.coordinator)
    w.join_request = services.join_request_create(group=w.group, user=w.outsider)
    w.document = services.document_upload(
        group=w.group,
        actor=w.coordinator,
        title="Draft brief",
        upload=SimpleUploadedFile("brief.txt", b"Licensing costs in Geita.\n"),
    )
    return w
