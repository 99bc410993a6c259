"""Private pages and files say `Cache-Control: private` (files and exports also `no-store`),
so no shared cache ever hands one person's workspace, draft or submission to another."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asmhub.taxonomy.models import Country
from tests.dialogues.factories import DialogueFactory
from tests.factories import LearningGroupFactory, MembershipFactory, ResourceFactory, UserFactory
from tests.learning_groups.factories import MeetingFactory
from tests.outlooks.factories import EditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _directives(response) -> set[str]:
    return {
        part.strip().split("=")[0].lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def _assert_private(response, *, file=False):
    assert response.status_code == 200, response.status_code
    directives = _directives(response)
    assert "private" in directives, response.get("Cache-Control")
    assert "public" not in directives
    if file:
        assert "no-store" in directives, response.get("Cache-Control")


@pytest.fixture
def group():
    return LearningGroupFactory(slug="tz-group", country=Country.objects.get(code="TZ"))


@pytest.fixture
def coordinator(group):
    return MembershipFactory(group=group, role="coordinator").user


def test_group_workspace_meetings_and_documents_are_private(client, group, coordinator):
    meeting = MeetingFactory(group=group)
    client.force_login(coordinator)
    documents = reverse("learning_groups:documents", args=[group.slug])
    response = client.post(
        documents,
        {"title": "Draft brief", "file": SimpleUploadedFile("brief.txt", b"Licensing costs.\n")},
    )
    assert response.status_code == 302
    document = group.documents.get()
    for url in (
        reverse("learning_groups:detail", args=[group.slug]),
        reverse("learning_groups:meeting", args=[group.slug, meeting.pk]),
        documents,
        reverse("learning_groups:mine"),
        reverse("profile"),
    ):
        _assert_private(client.get(url))
    download = reverse("learning_groups:document_download", args=[group.slug, document.pk])
    _assert_private(client.get(download), file=True)


def test_draft_outlook_and_its_exports_are_private_and_not_stored(client, coordinator):
    edition = EditionFactory(country=Country.objects.get(code="TZ"), year=2026)
    client.force_login(coordinator)
    _assert_private(client.get(edition.get_absolute_url()))
    for name in ("outlooks:export_csv", "outlooks:export_json", "outlooks:export_pdf"):
        response = client.get(reverse(name, args=["TZ", 2026]))
        _assert_private(response, file=True)


def test_restricted_dialogue_is_private(client):
    allowed = UserFactory()
    dialogue = DialogueFactory(visibility="restricted", allowed_users=[allowed])
    client.force_login(allowed)
    _assert_private(client.get(dialogue.get_absolute_url()))


def test_pending_resource_and_my_submissions_are_private(client):
    submitter = UserFactory()
    resource = ResourceFactory(status="pending", submitted_by=submitter)
    client.force_login(submitter)
    _assert_private(client.get(resource.get_absolute_url()))
    _assert_private(client.get(reverse("resources:mine")))


def test_public_pages_for_visitors_stay_cacheable(client):
    """Visitors get no `private`: the same page for everyone may be cached."""
    response = client.get(reverse("resources:list"))
    assert response.status_code == 200
    assert "private" not in _directives(response)


def _through_middleware(rf, *, user, cache_control="", disposition=""):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from asmhub.middleware import PrivateCacheMiddleware

    def view(request):
        response = HttpResponse("x")
        if cache_control:
            response["Cache-Control"] = cache_control
        if disposition:
            response["Content-Disposition"] = disposition
        return response

    request = rf.get("/", HTTP_COOKIE="sessionid=abc")
    request.user = user or AnonymousUser()
    return PrivateCacheMiddleware(view)(request)


def test_what_a_view_says_is_kept(rf):
    user = UserFactory()
    public = _through_middleware(rf, user=user, cache_control="public, max-age=60")
    assert public["Cache-Control"] == "public, max-age=60"
    timed = _through_middleware(rf, user=user, cache_control="max-age=60")
    assert _directives(timed) == {"max-age", "private"}
    file = _through_middleware(rf, user=user, disposition='attachment; filename="a.csv"')
    assert _directives(file) == {"private", "no-store"}
    anonymous = _through_middleware(rf, user=None)
    assert not anonymous.has_header("Cache-Control")
