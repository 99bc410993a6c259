"""factory_boy factories for learning-group tests (groups and memberships: tests/factories)."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import LearningGroupFactory, MembershipFactory, UserFactory

__all__ = [
    "ActionItemFactory",
    "InvitationFactory",
    "LearningGroupFactory",
    "MeetingFactory",
    "MembershipFactory",
    "UserFactory",
]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.Meeting"

    group = factory.SubFactory(LearningGroupFactory)
    title = factory.Sequence(lambda n: f"Quarterly meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    place = "Mwanza"
    online_link = "https://meet.example.org/asm"
    agenda = "1. Welcome\n2. Field visits"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.Invitation"

    group = factory.SubFactory(LearningGroupFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.ActionItem"

    group = factory.SubFactory(LearningGroupFactory)
    what = factory.Sequence(lambda n: f"Collect licence fee figures, batch {n}")
