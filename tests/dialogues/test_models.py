"""Dialogue models: visibility querysets, participation checks, follow-up history and status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialogues.models import Dialogue, FollowUpStatus, ParticipationCount
from dialogues.selectors import with_follow_up_progress
from tests.factories import UserFactory

from .factories import (
    DialogueFactory,
    FollowUpActionFactory,
    FollowUpUpdateFactory,
    ParticipationCountFactory,
)

pytestmark = pytest.mark.django_db


def test_visible_to_matrix(curator):
    allowed = UserFactory()
    partner = UserFactory()
    public = DialogueFactory()
    restricted = DialogueFactory(visibility="restricted", allowed_users=[allowed])
    draft = DialogueFactory(is_published=False)
    restricted_draft = DialogueFactory(
        visibility="restricted", is_published=False, allowed_users=[allowed]
    )

    from django.contrib.auth.models import AnonymousUser

    def seen(user):
        return set(Dialogue.objects.visible_to(user))

    assert seen(AnonymousUser()) == {public}
    assert seen(partner) == {public}
    assert seen(allowed) == {public, restricted}
    assert seen(curator) == {public, restricted, draft, restricted_draft}


def test_visible_to_gives_each_dialogue_once_whatever_its_allowed_users():
    users = UserFactory.create_batch(3)
    public = DialogueFactory(allowed_users=users)
    assert list(Dialogue.objects.visible_to(users[0])) == [public]


def test_published_and_for_country():
    tz = DialogueFactory(countries=["TZ", "PE"])
    DialogueFactory(countries=["CO"])
    DialogueFactory(countries=["TZ"], is_published=False)
    assert list(Dialogue.objects.published().for_country("TZ")) == [tz]
    assert Dialogue.objects.for_country("TZ").count() == 2


def test_negative_counts_are_refused_with_a_clear_message():
    count = ParticipationCountFactory.build(
        dialogue=DialogueFactory(), women=-1, stakeholder_type_id=1
    )
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "A number of participants cannot be negative." in error.value.message_dict["women"]


def test_negative_counts_are_refused_by_the_database_too():
    count = ParticipationCountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationCount.objects.filter(pk=count.pk).update(men=-2)


def test_a_stated_total_must_match_the_breakdown():
    count = ParticipationCountFactory(women=3, men=4, other=1)
    count.total = 9
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert error.value.message_dict["total"] == [
        "Women, men and other add up to 8, not the stated total 9. "
        "Correct the numbers or the total."
    ]
    count.total = 8
    count.full_clean()


def test_last_day_not_before_first_day():
    dialogue = DialogueFactory.build(
        start_date=datetime.date(2025, 3, 11), end_date=datetime.date(2025, 3, 10)
    )
    with pytest.raises(ValidationError) as error:
        dialogue.full_clean()
    assert "end_date" in error.value.message_dict


def test_follow_up_needs_someone_responsible():
    action = FollowUpActionFactory.build(dialogue=DialogueFactory(), responsible="")
    with pytest.raises(ValidationError):
        action.full_clean()


def test_follow_up_history_is_ordered_by_date_then_entry_and_latest_is_current():
    action = FollowUpActionFactory()
    assert action.current_status == FollowUpStatus.NOT_STARTED
    # Entered out of order: a late update first, then two on one earlier day.
    later = FollowUpUpdateFactory(action=action, date=datetime.date(2025, 9, 1), status="done")
    first = FollowUpUpdateFactory(action=action, date=datetime.date(2025, 5, 1), status="stalled")
    second = FollowUpUpdateFactory(
        action=action, date=datetime.date(2025, 5, 1), status="in-progress"
    )
    assert list(action.updates.all()) == [first, second, later]
    assert action.current_status == FollowUpStatus.DONE
    later.delete()
    assert action.current_status == "in-progress"  # same day: the one entered last wins
    assert action.get_current_status_display() == "In progress"


def test_follow_up_progress_annotation_counts_actions_whose_latest_update_is_done():
    dialogue = DialogueFactory()
    done = FollowUpActionFactory(dialogue=dialogue)
    FollowUpUpdateFactory(action=done, date=datetime.date(2025, 4, 1), status="in-progress")
    FollowUpUpdateFactory(action=done, date=datetime.date(2025, 6, 1), status="done")
    reopened = FollowUpActionFactory(dialogue=dialogue)
    FollowUpUpdateFactory(action=reopened, date=datetime.date(2025, 4, 1), status="done")
    FollowUpUpdateFactory(action=reopened, date=datetime.date(2025, 6, 1), status="stalled")
    FollowUpActionFactory(dialogue=dialogue)  # no updates: not started
    empty = DialogueFactory()

    found = {d.pk: d for d in with_follow_up_progress(Dialogue.objects.all())}
    assert (found[dialogue.pk].follow_ups_done, found[dialogue.pk].follow_ups_total) == (1, 3)
    assert (found[empty.pk].follow_ups_done, found[empty.pk].follow_ups_total) == (0, 0)
