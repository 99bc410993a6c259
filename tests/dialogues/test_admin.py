"""Curators' admin: participation numbers are checked, and only curators may publish."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from asmhub.taxonomy.models import StakeholderType
from dialogues.models import Dialogue, FollowUpUpdate
from tests.factories import UserFactory

from .factories import DialogueFactory, FollowUpActionFactory

pytestmark = pytest.mark.django_db

INLINES = ["sessions", "participation", "named_participants", "resource_links", "follow_up_actions"]


def form_data(*, counts=(), participants_total="", **fields):
    """The POST of the dialogue admin form with its inline formsets' management forms."""
    data = {
        "title": "Sharing concessions",
        "slug": "sharing-concessions",
        "issue": "Can artisanal miners work on licensed land?",
        "scope": "international",
        "start_date": "2025-03-11",
        "time_zone": "Africa/Dar_es_Salaam",
        "status": "held",
        "visibility": "public",
        "participants_total": participants_total,
    }
    data.update(fields)
    for prefix in INLINES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    kinds = StakeholderType.objects.in_bulk(field_name="slug")
    data["participation-TOTAL_FORMS"] = str(len(counts))
    for i, (slug, women, men, other, total) in enumerate(counts):
        data.update(
            {
                f"participation-{i}-stakeholder_type": kinds[slug].pk,
                f"participation-{i}-women": women,
                f"participation-{i}-men": men,
                f"participation-{i}-other": other,
                f"participation-{i}-total": total,
            }
        )
    return data


@pytest.fixture
def add_url():
    return reverse("admin:dialogues_dialogue_add")


def test_curator_saves_a_dialogue_with_counts_that_add_up(client, curator, add_url):
    client.force_login(curator)
    data = form_data(
        counts=[("government", 5, 9, 0, 14), ("asm-miners", 6, 8, 1, "")],
        participants_total=29,
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["errors"]
    dialogue = Dialogue.objects.get(slug="sharing-concessions")
    assert dialogue.participation.count() == 2
    assert not dialogue.is_published


def test_negative_numbers_get_a_clear_error_beside_the_field(client, curator, add_url):
    client.force_login(curator)
    response = client.post(add_url, form_data(counts=[("government", -2, 9, 0, "")]))
    assert response.status_code == 200
    assert "A number of participants cannot be negative." in response.content.decode()
    assert not Dialogue.objects.exists()


def test_a_row_whose_numbers_do_not_add_up_to_its_total_is_refused(client, curator, add_url):
    client.force_login(curator)
    response = client.post(add_url, form_data(counts=[("government", 5, 9, 0, 15)]))
    assert response.status_code == 200
    assert (
        "Women, men and other add up to 14, not the stated total 15. "
        "Correct the numbers or the total."
    ) in response.content.decode()
    assert not Dialogue.objects.exists()


def test_counts_that_do_not_add_up_to_the_dialogue_total_are_refused(client, curator, add_url):
    client.force_login(curator)
    data = form_data(
        counts=[("government", 5, 9, 0, ""), ("asm-miners", 6, 8, 1, "")], participants_total=40
    )
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert (
        "The participation counts add up to 29, but the dialogue&#x27;s total participants "
        "is 40. Correct the counts or the total."
    ) in response.content.decode()
    assert not Dialogue.objects.exists()


def test_a_negative_dialogue_total_is_refused(client, curator, add_url):
    client.force_login(curator)
    response = client.post(add_url, form_data(participants_total=-1))
    assert "A number of participants cannot be negative." in response.content.decode()


def test_curator_publishes_and_it_is_recorded(client, curator):
    dialogue = DialogueFactory(slug="sharing-concessions", is_published=False)
    client.force_login(curator)
    url = reverse("admin:dialogues_dialogue_change", args=[dialogue.pk])
    response = client.post(url, form_data(is_published="on"))
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.is_published
    assert dialogue.published_by == curator
    assert dialogue.published_at is not None


def test_publish_action_is_offered_to_curators(client, curator):
    dialogue = DialogueFactory(is_published=False)
    client.force_login(curator)
    response = client.post(
        reverse("admin:dialogues_dialogue_changelist"),
        {"action": "publish_selected", "_selected_action": [dialogue.pk]},
    )
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.is_published and dialogue.published_by == curator


def test_staff_without_the_publish_permission_cannot_publish(client):
    """A staff editor outside the Curators group may edit records but never publish them."""
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dialogues", codename__in=["change_dialogue", "view_dialogue"]
        )
    )
    dialogue = DialogueFactory(slug="sharing-concessions", is_published=False)
    client.force_login(editor)
    url = reverse("admin:dialogues_dialogue_change", args=[dialogue.pk])
    page = client.get(url).content.decode()
    assert 'name="is_published"' not in page
    assert (
        "publish_selected"
        not in client.get(reverse("admin:dialogues_dialogue_changelist")).content.decode()
    )
    client.post(url, form_data(is_published="on"))
    dialogue.refresh_from_db()
    assert not dialogue.is_published


def test_partners_cannot_reach_the_admin(client):
    client.force_login(UserFactory())
    changelist = reverse("admin:dialogues_dialogue_changelist")
    response = client.get(changelist)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={changelist}"


def test_staff_who_are_not_curators_cannot_reach_dialogues_in_admin(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:dialogues_dialogue_changelist")).status_code == 403


def test_follow_up_updates_record_who_entered_them(client, curator):
    action = FollowUpActionFactory()
    client.force_login(curator)
    url = reverse("admin:dialogues_followupaction_change", args=[action.pk])
    response = client.post(
        url,
        {
            "dialogue": action.dialogue.pk,
            "description": action.description,
            "responsible": action.responsible,
            "due_date": "2025-09-30",
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "0",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
            "updates-0-date": "2025-05-01",
            "updates-0-status": "in-progress",
            "updates-0-note": "Drafting group formed.",
        },
    )
    assert response.status_code == 302
    update = FollowUpUpdate.objects.get(action=action)
    assert update.recorded_by == curator
    assert update.date == datetime.date(2025, 5, 1)


def test_admin_pages_render_for_curators(client, curator):
    dialogue = DialogueFactory(visibility="restricted", allowed_users=[UserFactory()])
    action = FollowUpActionFactory(dialogue=dialogue)
    client.force_login(curator)
    for url in [
        reverse("admin:dialogues_dialogue_changelist"),
        reverse("admin:dialogues_dialogue_add"),
        reverse("admin:dialogues_dialogue_change", args=[dialogue.pk]),
        reverse("admin:dialogues_followupaction_change", args=[action.pk]),
        reverse("admin:dialogues_followupaction_changelist"),
        reverse("admin:dialogues_dialogueseries_add"),
        reverse("admin:autocomplete") + "?app_label=dialogues&model_name=dialogue"
        "&field_name=allowed_users&term=person",
    ]:
        assert client.get(url).status_code == 200, url


def test_session_times_are_entered_in_the_dialogue_time_zone(client, curator):
    dialogue = DialogueFactory(slug="sharing-concessions", time_zone="Africa/Dar_es_Salaam")
    client.force_login(curator)
    data = form_data()
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-starts_at_0": "2025-03-11",
            "sessions-0-starts_at_1": "09:00",
            "sessions-0-title": "Opening",
            "sessions-0-format": "plenary",
        }
    )
    url = reverse("admin:dialogues_dialogue_change", args=[dialogue.pk])
    assert client.post(url, data).status_code == 302
    starts_at = dialogue.sessions.get().starts_at
    assert starts_at == datetime.datetime(2025, 3, 11, 6, tzinfo=datetime.UTC)  # 09:00 EAT
    assert 'value="09:00:00"' in client.get(url).content.decode()


def test_recorded_follow_up_updates_are_history_not_edited_in_admin(client, curator):
    """New updates go through follow_up_record; an old one cannot be rewritten in place."""
    action = FollowUpActionFactory()
    old = FollowUpUpdate.objects.create(
        action=action, date=datetime.date(2025, 5, 1), status="in-progress", note="Started."
    )
    client.force_login(curator)
    url = reverse("admin:dialogues_followupaction_change", args=[action.pk])
    response = client.post(
        url,
        {
            "dialogue": action.dialogue.pk,
            "description": action.description,
            "responsible": action.responsible,
            "due_date": "2025-09-30",
            "updates-TOTAL_FORMS": "2",
            "updates-INITIAL_FORMS": "1",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
            "updates-0-id": str(old.pk),
            "updates-0-action": str(action.pk),
            "updates-0-date": "2025-05-01",
            "updates-0-status": "done",
            "updates-0-note": "Rewritten history.",
            "updates-1-action": str(action.pk),
            "updates-1-date": "2025-06-01",
            "updates-1-status": "done",
            "updates-1-note": "Finished.",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.note) == ("in-progress", "Started.")
    new = action.updates.exclude(pk=old.pk).get()
    assert (new.status, new.recorded_by) == ("done", curator)
