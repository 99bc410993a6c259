"""Dialogue services: publishing (curators only, recorded) and follow-up updates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dialogues.models import FollowUpUpdate
from dialogues.services import dialogue_publish, follow_up_record, follow_up_update_delete
from tests.factories import UserFactory

from .factories import DialogueFactory, FollowUpActionFactory

pytestmark = pytest.mark.django_db


def test_curator_publishes_and_withdraws(curator):
    dialogue = DialogueFactory(is_published=False)
    dialogue_publish(dialogue=dialogue, user=curator)
    dialogue.refresh_from_db()
    assert dialogue.is_published and dialogue.published_by == curator
    first_published = dialogue.published_at
    dialogue_publish(dialogue=dialogue, user=curator, published=False)
    dialogue_publish(dialogue=dialogue, user=curator)
    dialogue.refresh_from_db()
    assert dialogue.published_at == first_published  # first publication date is kept


@pytest.mark.parametrize("is_staff", [False, True])
def test_only_curators_publish(is_staff):
    dialogue = DialogueFactory(is_published=False)
    with pytest.raises(Http404):
        dialogue_publish(dialogue=dialogue, user=UserFactory(is_staff=is_staff))
    dialogue.refresh_from_db()
    assert not dialogue.is_published


def test_follow_up_record_validates_and_records_who(curator):
    action = FollowUpActionFactory()
    update = follow_up_record(
        action=action, status="done", date=datetime.date(2025, 6, 1), actor=curator
    )
    assert action.current_status == "done"
    assert update.recorded_by == curator
    with pytest.raises(ValidationError):
        follow_up_record(
            action=action, status="finished", date=datetime.date(2025, 7, 1), actor=curator
        )
    assert action.updates.count() == 1


@pytest.mark.parametrize("is_staff", [False, True])
def test_only_curators_and_editors_record_follow_up_updates(curator, is_staff):
    """Partners, and staff without the permission, are refused; nothing is recorded."""
    action = FollowUpActionFactory()
    stranger = UserFactory(is_staff=is_staff)
    with pytest.raises(Http404):
        follow_up_record(
            action=action, status="done", date=datetime.date(2025, 6, 1), actor=stranger
        )
    assert not action.updates.exists()
    update = follow_up_record(
        action=action, status="done", date=datetime.date(2025, 6, 1), actor=curator
    )
    with pytest.raises(Http404):
        follow_up_update_delete(update=update, actor=stranger)
    assert FollowUpUpdate.objects.filter(pk=update.pk).exists()
    follow_up_update_delete(update=update, actor=curator)
    assert not action.updates.exists()
