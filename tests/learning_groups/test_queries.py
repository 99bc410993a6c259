"""Query counts of every list and detail page; the workspace's does not grow with the group."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asmhub.profiles.models import Profile, User
from learning_groups.models import ActionItem, Activity, Attendance, Meeting, Membership

pytestmark = pytest.mark.django_db


def _grow(group, *, members: int, meetings: int, prefix: str):
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org") for i in range(members)]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Member {i}") for i, u in enumerate(users)]
    )
    Membership.objects.bulk_create(
        [Membership(group=group, user=u, calendar_token=f"{prefix}-{u.pk}") for u in users]
    )
    now = timezone.now()
    made = Meeting.objects.bulk_create(
        [
            Meeting(
                group=group,
                title=f"Meeting {i}",
                starts_at=now + timedelta(days=i - meetings // 2),
                ends_at=now + timedelta(days=i - meetings // 2, hours=2),
                place="Mwanza",
                status="held" if i < meetings // 2 else "planned",
            )
            for i in range(meetings)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(group=group, meeting=made[i % len(made)], what=f"Do {i}", owner=users[i])
            for i in range(min(members, 50))
        ]
    )
    Activity.objects.bulk_create(
        [
            Activity(group=group, actor=users[i], verb="joined", subject="x")
            for i in range(min(members, 50))
        ]
    )
    upcoming = made[meetings // 2 + 1]
    Attendance.objects.bulk_create(
        [Attendance(meeting=upcoming, user=u, response="will-attend") for u in users]
    )
    return upcoming


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_workspace_and_meeting_page_queries_constant_from_5_to_500_members(client, world):
    """Guards against N+1: the workspace and meeting pages run the same number of queries
    for 5 members as for 500 members with 200 meetings."""
    client.force_login(world.coordinator)
    small_meeting = _grow(world.group, members=2, meetings=4, prefix="s")
    small = _count(client, "/groups/tanzania/")
    small_meeting_count = _count(client, small_meeting.get_absolute_url())
    _grow(world.group, members=495, meetings=196, prefix="l")
    large = _count(client, "/groups/tanzania/")
    large_meeting = Meeting.objects.filter(group=world.group, title="Meeting 99").order_by("-pk")[0]
    large_meeting_count = _count(client, large_meeting.get_absolute_url())
    assert world.group.memberships.count() == 500
    assert small == large
    assert small_meeting_count == large_meeting_count


@pytest.mark.parametrize(
    ("url", "who", "budget"),
    [
        ("/groups/", "anonymous", 6),
        ("/groups/tanzania/", "outsider", 10),
        ("/groups/tanzania/", "coordinator", 16),
        ("/groups/mine/", "member", 10),
        ("/groups/tanzania/members/", "coordinator", 12),
        ("/groups/tanzania/documents/", "member", 12),
        ("/groups/tanzania/invitations/", "coordinator", 10),
        ("/groups/tanzania/settings/", "member", 8),
        ("/groups/tanzania/calendar.ics", "member", 8),
        ("meeting", "member", 14),
        ("attendance", "coordinator", 10),
    ],
)
def test_pages_query_budget(client, world, django_assert_max_num_queries, url, who, budget):
    """Guards against N+1 on every list and detail page (with 60 members and 20 meetings)."""
    _grow(world.group, members=60, meetings=20, prefix="q")
    if who != "anonymous":
        client.force_login(getattr(world, who))
    if url == "meeting":
        url = world.meeting.get_absolute_url()
    elif url == "attendance":
        url = f"/groups/tanzania/meetings/{world.meeting.pk}/attendance/"
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_group_list_queries_do_not_grow_with_groups(client, django_assert_max_num_queries):
    """Guards against N+1 on /groups/: counts, coordinators and next meetings are annotated."""
    from .factories import LearningGroupFactory, MembershipFactory

    for _ in range(15):
        group = LearningGroupFactory()
        MembershipFactory(group=group, role="coordinator")
    with django_assert_max_num_queries(6):
        html = client.get("/groups/").content.decode()
    assert html.count('class="card"') == 15
