"""Group documents: checked uploads, private downloads, no stray files, library publishing."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from learning_groups import services
from learning_groups.models import GroupDocument, GroupOutput

pytestmark = pytest.mark.django_db


def _files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_member_uploads_and_downloads_as_attachment(client, world):
    client.force_login(world.member)
    response = client.post(
        "/groups/tanzania/documents/",
        {
            "title": "Fee survey",
            "file": SimpleUploadedFile("fees.csv", b"district,fee\nGeita,40\n"),
        },
    )
    assert response.status_code == 302
    document = GroupDocument.objects.get(title="Fee survey")
    assert document.content_type == "text/csv" and document.file.name.endswith(".csv")
    assert "fees" not in document.file.name  # stored under a random name
    download = client.get(f"/groups/tanzania/documents/{document.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"district,fee\nGeita,40\n"


def test_html_disguised_as_pdf_is_refused_beside_the_field(client, world):
    client.force_login(world.member)
    response = client.post(
        "/groups/tanzania/documents/",
        {
            "title": "Trap",
            "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 <script>alert(1)</script>"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["form"]["title"].value() == "Trap"
    assert not GroupDocument.objects.filter(title="Trap").exists()


def test_failed_write_leaves_no_stray_file(world, settings, monkeypatch):
    before = _files(settings)

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_record", boom)
    with pytest.raises(RuntimeError):
        services.document_upload(
            group=world.group,
            actor=world.member,
            title="Lost",
            upload=SimpleUploadedFile("a.txt", b"hello\n"),
        )
    assert _files(settings) == before
    assert not GroupDocument.objects.filter(title="Lost").exists()


def test_empty_file_is_refused(world):
    with pytest.raises(ValidationError):
        services.document_upload(
            group=world.group,
            actor=world.member,
            title="Empty",
            upload=SimpleUploadedFile("a.txt", b""),
        )


def test_publish_to_library_credits_the_group_and_waits_for_review(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/groups/tanzania/documents/{world.document.pk}/publish/",
        {"title": "Licensing costs", "summary": "What licences cost.", "resource_type": "report"},
    )
    assert response.status_code == 302
    output = GroupOutput.objects.get(document=world.document)
    resource = output.resource
    assert resource.status == "pending"
    assert resource.authors == world.group.name
    assert resource.submitted_by == world.coordinator
    assert list(resource.countries.values_list("code", flat=True)) == ["TZ"]
    assert resource.files.count() == 1
    # Publishing twice is refused.
    with pytest.raises(ValidationError):
        services.document_publish(
            document=world.document, actor=world.coordinator, data={"summary": "x"}
        )


def test_uploader_deletes_own_document_and_its_file_goes_after_commit(
    client, world, settings, django_capture_on_commit_callbacks
):
    document = services.document_upload(
        group=world.group,
        actor=world.member,
        title="Mine",
        upload=SimpleUploadedFile("m.txt", b"notes\n"),
    )
    path = Path(document.file.path)
    assert path.exists()
    client.force_login(world.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/groups/tanzania/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert not GroupDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert world.group.activities.filter(verb="document-deleted", actor=world.member).exists()
