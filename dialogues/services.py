"""Writes to dialogue records that are more than one field: publishing, follow-up updates."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from asmhub.access import is_curator

from .models import Dialogue, FollowUpAction, FollowUpUpdate

PUBLISH_PERMISSION = "dialogues.publish_dialogue"


def can_publish(user) -> bool:
    return bool(is_curator(user) and user.has_perm(PUBLISH_PERMISSION))


def mark_published(*, dialogue: Dialogue, published: bool, user) -> None:
    """Set the publication fields on `dialogue` (not saved); only curators may."""
    if not can_publish(user):
        raise PermissionDenied("Only curators publish dialogue records.")
    dialogue.is_published = published
    if published:
        dialogue.published_at = dialogue.published_at or timezone.now()
        dialogue.published_by = user


@transaction.atomic
def dialogue_publish(*, dialogue: Dialogue, user, published: bool = True) -> Dialogue:
    """Publish (or withdraw) a dialogue record, recording who published it and when."""
    mark_published(dialogue=dialogue, published=published, user=user)
    dialogue.full_clean()
    dialogue.save(update_fields=["is_published", "published_at", "published_by", "updated_at"])
    return dialogue


@transaction.atomic
def follow_up_record(
    *,
    action: FollowUpAction,
    status: str,
    date: datetime.date,
    note: str = "",
    recorded_by=None,
) -> FollowUpUpdate:
    """Add a dated status update to a follow-up action (the latest one is its status)."""
    update = FollowUpUpdate(
        action=action, status=status, date=date, note=note, recorded_by=recorded_by
    )
    update.full_clean()
    update.save()
    return update
