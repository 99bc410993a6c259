"""The moderation queue in admin: filters, bulk actions through the services, checked files."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asmhub.profiles.models import CURATORS_GROUP
from resources.models import Resource
from tests.factories import ResourceFactory
from tests.resources.conftest import PDF_WORD, pdf_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resources_resource_changelist")


def test_curators_group_has_the_resource_permissions():
    codenames = set(
        Permission.objects.filter(group__name=CURATORS_GROUP).values_list("codename", flat=True)
    )
    assert {"add_resource", "change_resource", "view_resource", "change_resourcefile"} <= codenames


def test_queue_filters_and_search(client, curator):
    ResourceFactory(title="Pending mercury brief", status="pending")
    ResourceFactory(title="Published gold report")
    client.force_login(curator)
    response = client.get(CHANGELIST, {"status__exact": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pending mercury brief" in html and "Published gold report" not in html
    html = client.get(CHANGELIST, {"q": "published"}).content.decode()
    assert "Published gold report" in html and "Pending mercury brief" not in html
    for query in ({"featured__exact": "1"}, {"resource_type__exact": "report"}):
        assert client.get(CHANGELIST, query).status_code == 200


def test_partners_cannot_open_the_queue(client, partner):
    """The admin sends signed-in non-staff to its login, which hands over to allauth's."""
    client.force_login(partner)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={CHANGELIST}"


def test_staff_who_are_not_curators_cannot_open_the_queue(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_bulk_publish_records_reviewer_and_emails(
    client, curator, partner, django_capture_on_commit_callbacks
):
    pending = [ResourceFactory(status="pending", submitted_by=partner) for _ in range(2)]
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "publish", "_selected_action": [r.pk for r in pending]}
        )
    assert response.status_code == 302
    for resource in pending:
        resource.refresh_from_db()
        assert (resource.status, resource.reviewed_by) == ("published", curator)
    assert len(mail.outbox) == 2


def test_bulk_reject_asks_for_a_reason_first(
    client, curator, partner, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(status="pending", submitted_by=partner)
    client.force_login(curator)
    response = client.post(CHANGELIST, {"action": "reject", "_selected_action": [resource.pk]})
    assert response.status_code == 200
    assert "Reason (sent to the submitters)" in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "reject",
                "apply": "1",
                "reason": "Please add the full report, not only the summary.",
                "_selected_action": [resource.pk],
            },
        )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == "rejected"
    assert resource.review_note == "Please add the full report, not only the summary."
    assert "not only the summary" in mail.outbox[0].body


def test_bulk_feature_and_unfeature(client, curator):
    published = ResourceFactory()
    pending = ResourceFactory(status="pending")
    client.force_login(curator)
    ids = [published.pk, pending.pk]
    client.post(CHANGELIST, {"action": "feature", "_selected_action": ids})
    published.refresh_from_db()
    pending.refresh_from_db()
    assert published.featured and not pending.featured  # only published ones
    client.post(CHANGELIST, {"action": "unfeature", "_selected_action": ids})
    published.refresh_from_db()
    assert not published.featured


def _add_form(**overrides):
    data = {
        "title": "Curated directly",
        "slug": "curated-directly",
        "summary": "Added and published by a curator.",
        "resource_type": "report",
        "status": "published",
        "scope": "global",
        "authors": "",
        "year": "2024",
        "licence": "",
        "external_url": "",
        "tags": "",
        "review_note": "",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-label": "Report",
        "files-0-language": "en",
    }
    data.update(overrides)
    return data


def test_curator_creates_and_publishes_with_a_checked_file(
    client, curator, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    upload = SimpleUploadedFile("direct.pdf", pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:resources_resource_add"), _add_form(**{"files-0-file": upload})
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(slug="curated-directly")
    assert resource.status == "published" and resource.published_at is not None
    assert (resource.submitted_by, resource.reviewed_by) == (curator, curator)
    file = resource.files.get()
    assert (file.extension, file.content_type, file.original_name) == (
        "pdf",
        "application/pdf",
        "direct.pdf",
    )
    assert file.extraction == "done" and PDF_WORD in file.text


def test_admin_refuses_a_polyglot_file(client, curator, stored_files):
    client.force_login(curator)
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>")
    response = client.post(
        reverse("admin:resources_resource_add"), _add_form(**{"files-0-file": upload})
    )
    assert response.status_code == 200
    assert "web page or script content" in response.content.decode()
    assert not Resource.objects.exists()
    assert stored_files() == []


def test_admin_rejection_needs_a_note(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("admin:resources_resource_add"),
        _add_form(status="rejected", **{"files-0-label": ""}),
    )
    assert response.status_code == 200
    assert "Say why the resource is rejected." in response.content.decode()


def test_curator_publishes_from_the_change_form(
    client, curator, partner, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(
        status="pending", submitted_by=partner, published_at=None, slug="from-the-form"
    )
    client.force_login(curator)
    data = _add_form(
        title=resource.title,
        slug=resource.slug,
        summary=resource.summary,
        scope="countries",
        **{"files-TOTAL_FORMS": "0"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:resources_resource_change", args=[resource.pk]), data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.reviewed_by) == ("published", curator)
    assert resource.submitted_by == partner  # the submitter stays the submitter
    assert resource.published_at is not None
    assert mail.outbox[0].to == [partner.email]


def _change_form(resource, **overrides):
    return _add_form(
        title=resource.title,
        slug=resource.slug,
        summary=resource.summary,
        scope="countries",
        **{"files-TOTAL_FORMS": "0", **overrides},
    )


def test_featuring_from_the_change_form_goes_through_the_service(
    client, curator, partner, django_capture_on_commit_callbacks
):
    """The review state is never written around resources.services: reviewer and email too."""
    resource = ResourceFactory(submitted_by=partner, slug="feature-me")
    client.force_login(curator)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _change_form(resource, featured="on"))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.featured, resource.reviewed_by) == (True, curator)
    assert [m.to for m in mail.outbox] == [[partner.email]]


def test_returning_to_review_from_the_change_form_unfeatures(client, curator, partner):
    resource = ResourceFactory(submitted_by=partner, slug="back-to-review", featured=True)
    client.force_login(curator)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    response = client.post(url, _change_form(resource, status="pending", featured="on"))
    # featured on a pending resource is refused by the form, beside the field
    assert response.status_code == 200
    response = client.post(url, _change_form(resource, status="pending"))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.featured, resource.reviewed_by) == (
        "pending",
        False,
        curator,
    )


@pytest.fixture
def staff_editor(db):
    """Staff with every resource permission but not in the Curators group: not a curator."""
    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="resources"))
    return editor


def test_staff_who_are_not_curators_cannot_publish_in_bulk(client, staff_editor, partner):
    pending = ResourceFactory(status="pending", submitted_by=partner)
    client.force_login(staff_editor)
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [pending.pk]}, follow=True
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert "only curators review resources" in response.content.decode()


def test_staff_who_are_not_curators_see_the_review_state_read_only(client, staff_editor):
    pending = ResourceFactory(status="pending", slug="not-yours-to-publish")
    client.force_login(staff_editor)
    url = reverse("admin:resources_resource_change", args=[pending.pk])
    response = client.post(url, _change_form(pending, status="published", featured="on"))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.featured) == ("pending", False)


# ---------------------------------------------------------------- deleting


def _resource_with_file(curator):
    from resources.services import NewFile, resource_submit

    resource = resource_submit(
        submitted_by=curator,
        data={"title": "To be deleted", "summary": "s"},
        files=[NewFile(upload=SimpleUploadedFile("r.pdf", pdf_bytes()))],
    )
    return resource, Path(resource.files.get().file.path)


def test_admin_delete_removes_the_stored_files_after_commit(
    client, curator, django_capture_on_commit_callbacks
):
    """Before: admin deleted the rows and left the uploaded bytes in storage for ever."""
    resource, path = _resource_with_file(curator)
    assert path.exists()
    client.force_login(curator)
    url = reverse("admin:resources_resource_delete", args=[resource.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not path.exists()


def test_admin_bulk_delete_removes_every_stored_file(
    client, curator, django_capture_on_commit_callbacks
):
    made = [_resource_with_file(curator) for _ in range(3)]
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "post": "yes",
                "_selected_action": [resource.pk for resource, _path in made],
            },
        )
    assert response.status_code == 302
    assert not Resource.objects.exists()
    assert not any(path.exists() for _resource, path in made)
