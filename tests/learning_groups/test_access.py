"""Permission matrix: every group URL for every kind of visitor; private pages answer 404."""

import pytest
from django.http import Http404
from django.utils.html import escape

from learning_groups.rules import access_group
from tests.factories import CuratorFactory, UserFactory

ROLES = ["anonymous", "outsider", "staff", "member", "coordinator", "other_coordinator", "curator"]
MEMBERS = {"member", "coordinator"}
COORDINATORS = {"coordinator"}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY = set()
LOGIN = "login"  # a redirect to the sign-in page, whether or not the group exists


def urls(w):
    """(method, url, who may use it, their status, a signed-out visitor's status).

    Built from the world so ids are real. Everyone else gets 404: private pages do not leak
    that they exist, to outsiders, to staff who are not curators, nor to curators (who look
    after groups through the admin).
    """
    g, m = w.group.slug, w.meeting.pk
    return [
        ("get", "/groups/", EVERYONE, 200, 200),
        ("get", f"/groups/{g}/", EVERYONE, 200, 200),  # workspace for members, else public page
        ("get", "/groups/mine/", SIGNED_IN, 200, LOGIN),
        ("post", f"/groups/{g}/join/", SIGNED_IN, 302, LOGIN),
        ("get", f"/groups/{g}/members/", MEMBERS, 200, LOGIN),
        ("post", f"/groups/{g}/members/{w.other_ms.pk}/role/", COORDINATORS, 302, LOGIN),
        ("post", f"/groups/{g}/members/{w.other_ms.pk}/remove/", COORDINATORS, 302, LOGIN),
        ("post", f"/groups/{g}/join-requests/{w.join_request.pk}/", COORDINATORS, 302, LOGIN),
        ("get", f"/groups/{g}/invitations/", COORDINATORS, 200, LOGIN),
        (
            "post",
            f"/groups/{g}/invitations/{w.invitation.pk}/withdraw/",
            COORDINATORS,
            302,
            LOGIN,
        ),
        ("get", f"/groups/{g}/settings/", MEMBERS, 200, LOGIN),
        ("get", f"/groups/{g}/meetings/new/", COORDINATORS, 200, LOGIN),
        ("get", f"/groups/{g}/meetings/{m}/", MEMBERS, 200, LOGIN),
        ("get", f"/groups/{g}/meetings/{m}/edit/", COORDINATORS, 200, LOGIN),
        ("post", f"/groups/{g}/meetings/{m}/respond/", MEMBERS, 302, LOGIN),
        ("post", f"/groups/{g}/meetings/{m}/cancel/", COORDINATORS, 302, LOGIN),
        ("get", f"/groups/{g}/meetings/{m}/attendance/", COORDINATORS, 200, LOGIN),
        ("get", f"/groups/{g}/meetings/{m}/actions/new/", COORDINATORS, 200, LOGIN),
        ("get", f"/groups/{g}/meetings/{m}/meeting.ics", MEMBERS, 200, LOGIN),
        # The item belongs to the coordinator: the member may not tick someone else's item.
        ("post", f"/groups/{g}/actions/{w.item.pk}/status/", COORDINATORS, 302, LOGIN),
        # A feed for calendar apps: without a session or ?token= it is simply not there.
        ("get", f"/groups/{g}/calendar.ics", MEMBERS, 200, 404),
        ("get", f"/groups/{g}/documents/", MEMBERS, 200, LOGIN),
        ("get", f"/groups/{g}/documents/{w.document.pk}/download/", MEMBERS, 200, LOGIN),
        ("get", f"/groups/{g}/documents/{w.document.pk}/publish/", COORDINATORS, 200, LOGIN),
        # Uploaded by the coordinator: members may delete only their own documents.
        ("post", f"/groups/{g}/documents/{w.document.pk}/delete/", COORDINATORS, 302, LOGIN),
    ]


def foreign_urls(w):
    """Group A's ids under group B's slug, B being the other coordinator's own group: nobody
    reaches A's objects that way, not even B's coordinator (nor A's, who is not in B)."""
    b, m = w.other_group.slug, w.meeting.pk
    return [
        ("post", f"/groups/{b}/members/{w.other_ms.pk}/role/"),
        ("post", f"/groups/{b}/members/{w.other_ms.pk}/remove/"),
        ("post", f"/groups/{b}/join-requests/{w.join_request.pk}/"),
        ("post", f"/groups/{b}/invitations/{w.invitation.pk}/withdraw/"),
        ("get", f"/groups/{b}/meetings/{m}/"),
        ("get", f"/groups/{b}/meetings/{m}/edit/"),
        ("post", f"/groups/{b}/meetings/{m}/edit/"),
        ("post", f"/groups/{b}/meetings/{m}/respond/"),
        ("post", f"/groups/{b}/meetings/{m}/cancel/"),
        ("get", f"/groups/{b}/meetings/{m}/attendance/"),
        ("post", f"/groups/{b}/meetings/{m}/attendance/"),
        ("get", f"/groups/{b}/meetings/{m}/actions/new/"),
        ("get", f"/groups/{b}/meetings/{m}/meeting.ics"),
        ("post", f"/groups/{b}/actions/{w.item.pk}/status/"),
        ("get", f"/groups/{b}/documents/{w.document.pk}/download/"),
        ("get", f"/groups/{b}/documents/{w.document.pk}/publish/"),
        ("post", f"/groups/{b}/documents/{w.document.pk}/delete/"),
    ]


def _login(client, w, role):
    if role == "anonymous":
        return
    if role == "curator":
        client.force_login(CuratorFactory())
        return
    if role == "staff":  # programme staff who are not curators: no more than any partner
        client.force_login(UserFactory(is_staff=True))
        return
    client.force_login(getattr(w, role))


def _assert_sent_to_sign_in(response, url):
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].startswith("/accounts/login/?next="), response["Location"]


# Those who may use a URL come last: their POSTs change the world the others would see.
ORDER = ["anonymous", "outsider", "staff", "other_coordinator", "curator", "member", "coordinator"]
assert sorted(ORDER) == sorted(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(25))
def test_permission_matrix(client, world, index, subtests):
    """One world per URL (building it is the slow part), every role in turn."""
    method, url, allowed, status, anonymous_status = urls(world)[index]
    for role in ORDER:
        with subtests.test(url=url, role=role):
            client.logout()
            _login(client, world, role)
            response = getattr(client, method)(url, {"status": "done", "role": "member"})
            if role in allowed:
                assert response.status_code == status, (url, role, response.status_code)
                if status == 302:
                    assert "/accounts/login/" not in response["Location"]
            elif role == "anonymous" and anonymous_status == LOGIN:
                # Signed-out people are sent to sign in whether or not the group exists.
                _assert_sent_to_sign_in(response, url)
                missing = getattr(client, method)(url.replace(f"/{world.group.slug}/", "/nope/"))
                _assert_sent_to_sign_in(missing, url)
            elif role == "anonymous":
                assert response.status_code == anonymous_status, (url, response.status_code)
            else:
                assert response.status_code == 404, (url, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(17))
def test_another_groups_ids_under_ones_own_group_slug(client, world, index, subtests):
    method, url = foreign_urls(world)[index]
    for role in ORDER:
        with subtests.test(url=url, role=role):
            client.logout()
            _login(client, world, role)
            response = getattr(client, method)(url, {"status": "done", "role": "coordinator"})
            if role == "anonymous":
                _assert_sent_to_sign_in(response, url)
            else:
                assert response.status_code == 404, (url, role, response.status_code)
    world.other_ms.refresh_from_db()
    assert world.other_ms.role == "member"
    world.item.refresh_from_db()
    assert world.item.status != "done"
    world.meeting.refresh_from_db()
    assert world.meeting.status == "planned"
    assert type(world.document).objects.filter(pk=world.document.pk).exists()


def test_matrix_covers_every_group_url(world):
    from learning_groups.urls import urlpatterns

    assert len(urls(world)) == 25
    assert len(foreign_urls(world)) == 17
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
