"""Writes to dialogue records that are more than one field: publishing, follow-up updates.

Each takes the acting user and checks it here (refused with 404, the hub's one refusal), so
the admin's form, its bulk actions and any future API obey the same rule.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from asmhub.access import is_curator, require

from .models import Dialogue, FollowUpAction, FollowUpUpdate

PUBLISH_PERMISSION = "dialogues.publish_dialogue"
RECORD_PERMISSION = "dialogues.add_followupupdate"


def can_publish(user) -> bool:
    return bool(is_curator(user) and user.has_perm(PUBLISH_PERMISSION))


def can_record_follow_up(user) -> bool:
    """Curators, and staff editors allowed to add follow-up updates (they edit records)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_curator(user) or (user.is_staff and user.has_perm(RECORD_PERMISSION))


def mark_published(*, dialogue: Dialogue, published: bool, user) -> None:
    """Set the publication fields on `dialogue` (not saved); only curators may."""
    require(can_publish(user), "Only curators publish dialogue records.")
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
    actor,
) -> FollowUpUpdate:
    """Add a dated status update to a follow-up action (the latest one is its status).

    Updates are history: they are added, never edited in place."""
    require(can_record_follow_up(actor), "Only curators record follow-up updates.")
    update = FollowUpUpdate(action=action, status=status, date=date, note=note, recorded_by=actor)
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def follow_up_update_delete(*, update: FollowUpUpdate, actor) -> None:
    """Remove an update entered by mistake (the same people who record them)."""
    require(can_record_follow_up(actor), "Only curators record follow-up updates.")
    update.delete()
