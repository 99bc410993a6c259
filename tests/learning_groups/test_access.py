"""Permission matrix: every group URL for every kind of visitor; private pages answer 404."""

import pytest
from django.http import Http404
from django.utils.html import escape

from learning_groups.rules import access_group
from tests.factories import CuratorFactory

ROLES = ["anonymous", "outsider", "member", "coordinator", "other_coordinator", "curator"]
MEMBERS = {"member", "coordinator"}
COORDINATORS = {"coordinator"}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}


def urls(w):
    """(method, url, who may use it). Built from the world so ids are real."""
    g, m = w.group.slug, w.meeting.pk
    return [
        ("get", "/groups/", EVERYONE),
        ("get", f"/groups/{g}/", EVERYONE),  # workspace for members, public page for others
        ("get", "/groups/mine/", SIGNED_IN),
        ("post", f"/groups/{g}/join/", SIGNED_IN),
        ("get", f"/groups/{g}/members/", MEMBERS),
        ("post", f"/groups/{g}/members/{w.other_ms.pk}/role/", COORDINATORS),
        ("post", f"/groups/{g}/members/{w.other_ms.pk}/remove/", COORDINATORS),
        ("post", f"/groups/{g}/join-requests/{w.join_request.pk}/", COORDINATORS),
        ("get", f"/groups/{g}/invitations/", COORDINATORS),
        ("post", f"/groups/{g}/invitations/{w.invitation.pk}/withdraw/", COORDINATORS),
        ("get", f"/groups/{g}/settings/", MEMBERS),
        ("get", f"/groups/{g}/meetings/new/", COORDINATORS),
        ("get", f"/groups/{g}/meetings/{m}/", MEMBERS),
        ("get", f"/groups/{g}/meetings/{m}/edit/", COORDINATORS),
        ("post", f"/groups/{g}/meetings/{m}/respond/", MEMBERS),
        ("post", f"/groups/{g}/meetings/{m}/cancel/", COORDINATORS),
        ("get", f"/groups/{g}/meetings/{m}/attendance/", COORDINATORS),
        ("get", f"/groups/{g}/meetings/{m}/actions/new/", COORDINATORS),
        ("get", f"/groups/{g}/meetings/{m}/meeting.ics", MEMBERS),
        # The item belongs to the coordinator: the member may not tick someone else's item.
        ("post", f"/groups/{g}/actions/{w.item.pk}/status/", COORDINATORS),
        ("get", f"/groups/{g}/calendar.ics", MEMBERS),
        ("get", f"/groups/{g}/documents/", MEMBERS),
        ("get", f"/groups/{g}/documents/{w.document.pk}/download/", MEMBERS),
        ("get", f"/groups/{g}/documents/{w.document.pk}/publish/", COORDINATORS),
        # Uploaded by the coordinator: members may delete only their own documents.
        ("post", f"/groups/{g}/documents/{w.document.pk}/delete/", COORDINATORS),
    ]


def _login(client, w, role):
    if role == "anonymous":
        return
    if role == "curator":
        client.force_login(CuratorFactory())
        return
    client.force_login(getattr(w, role))


PRIVATE_CASES = [(i, role) for i in range(25) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("index", "role"), PRIVATE_CASES)
def test_permission_matrix(client, world, index, role):
    method, url, allowed = urls(world)[index]
    _login(client, world, role)
    response = getattr(client, method)(url, {"status": "done", "role": "member"})
    if role in allowed:
        assert response.status_code in (200, 302), (url, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    elif role == "anonymous":
        # Signed-out people are sent to sign in whether or not the group exists: no leak.
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
            missing = getattr(client, method)(url.replace(f"/{world.group.slug}/", "/nope/"))
            assert missing.status_code == 302
    else:
        assert response.status_code == 404, (url, role, response.status_code)


def test_matrix_covers_every_group_url(world):
    from learning_groups.urls import urlpatterns

    assert len(urls(world)) == len(PRIVATE_CASES) // len(ROLES)
    # Every named route except the invitation link (tested on its own) and the secret feed.
    covered = len(urls(world)) + 2
    assert covered == len(urlpatterns)


@pytest.mark.django_db
def test_workspace_only_for_members(client, world):
    for user, sees in [
        (world.member, True),
        (world.coordinator, True),
        (world.outsider, False),
        (world.other_coordinator, False),
        (CuratorFactory(), False),
    ]:
        client.force_login(user)
        html = client.get("/groups/tanzania/").content.decode()
        assert ("Recent activity" in html) is sees
        assert ("Draft brief" in html) is sees  # a private document's title
        assert (escape(world.group.description) in html) is not sees


@pytest.mark.django_db
def test_secret_calendar_url_works_without_signing_in(client, world):
    url = world.member_ms.calendar_url
    assert client.get(url).status_code == 200
    assert client.get(f"/groups/tanzania/calendar.ics?token={world.member_ms.calendar_token}")[
        "Content-Type"
    ].startswith("text/calendar")
    assert client.get("/groups/tanzania/calendar/wrong.ics").status_code == 404
    # A token is only good for its own group.
    assert (
        client.get(f"/groups/peru/calendar/{world.member_ms.calendar_token}.ics").status_code == 404
    )


@pytest.mark.django_db
def test_reset_calendar_token_kills_the_old_url(client, world):
    old = world.member_ms.calendar_url
    client.force_login(world.member)
    client.post("/groups/tanzania/settings/", {"action": "reset-calendar"})
    client.logout()
    assert client.get(old).status_code == 404
    world.member_ms.refresh_from_db()
    assert client.get(world.member_ms.calendar_url).status_code == 200


@pytest.mark.django_db
def test_access_group(world):
    group, membership = access_group(user=world.member, slug="tanzania")
    assert (group, membership) == (world.group, world.member_ms)
    with pytest.raises(Http404):
        access_group(user=world.member, slug="tanzania", coordinator=True)
    with pytest.raises(Http404):
        access_group(user=world.other_coordinator, slug="tanzania")
    with pytest.raises(Http404):
        access_group(user=world.member, slug="does-not-exist")
