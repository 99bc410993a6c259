"""Admin for curators: groups with memberships inline, meetings with attendance and actions."""

import pytest
from django.contrib.auth.models import Group, Permission

from asmhub.profiles.models import CURATORS_GROUP

pytestmark = pytest.mark.django_db


def test_curators_group_has_learning_group_permissions():
    codenames = set(
        Group.objects.get(name=CURATORS_GROUP)
        .permissions.filter(content_type__app_label="learning_groups")
        .values_list("codename", flat=True)
    )
    for model in ("learninggroup", "membership", "meeting", "attendance", "actionitem"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames
    assert "view_activity" in codenames and "change_activity" not in codenames
    assert Permission.objects.filter(codename="change_meeting").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/learning_groups/learninggroup/",
        "/admin/learning_groups/learninggroup/?q=tanzania&country__code__exact=TZ",
        "/admin/learning_groups/membership/?role__exact=coordinator&q=member",
        "/admin/learning_groups/meeting/?status__exact=planned&q=quarterly",
        "/admin/learning_groups/actionitem/",
        "/admin/learning_groups/invitation/",
        "/admin/learning_groups/joinrequest/",
        "/admin/learning_groups/groupdocument/",
        "/admin/learning_groups/activity/",
    ],
)
def test_curator_uses_admin_lists(client, curator, world, path):
    client.force_login(curator)
    assert client.get(path).status_code == 200


def test_curator_opens_group_and_meeting_with_inlines(client, curator, world):
    client.force_login(curator)
    group_page = client.get(f"/admin/learning_groups/learninggroup/{world.group.pk}/change/")
    assert group_page.status_code == 200
    assert "member@example.org" in group_page.content.decode()
    meeting_page = client.get(f"/admin/learning_groups/meeting/{world.meeting.pk}/change/")
    assert meeting_page.status_code == 200
    html = meeting_page.content.decode()
    assert "attendances-TOTAL_FORMS" in html and "action_items-TOTAL_FORMS" in html
