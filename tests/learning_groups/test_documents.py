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


@pytest.mark.parametrize(
    ("uploaded_as", "content", "expected"),
    [
        ("minutes.hta", b"Minutes of the March meeting.\n", "Minutes of March.txt"),
        # "\u202e" shows "report\u202efdp.exe" as "reportexe.pdf": the name is never used
        ("report\u202efdp.exe", b"%PDF-1.4\n1 0 obj\n", "Minutes of March.pdf"),
    ],
)
def test_download_is_named_from_the_title_and_checked_type(
    client, world, uploaded_as, content, expected
):
    """Before: documents downloaded under their raw original name (minutes.hta, fdp.exe)."""
    document = services.document_upload(
        group=world.group,
        actor=world.member,
        title="Minutes of March",
        upload=SimpleUploadedFile(uploaded_as, content),
    )
    client.force_login(world.member)
    download = client.get(f"/groups/tanzania/documents/{document.pk}/download/")
    assert download["Content-Disposition"] == (
        f"attachment; filename=\"{expected}\"; filename*=UTF-8''{expected.replace(' ', '%20')}"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    page = client.get("/groups/tanzania/documents/").content.decode()
    assert expected in page and uploaded_as not in page


def test_document_upload_is_inspected_once(client, world, monkeypatch):
    from asmhub import uploads

    seen = []
    detect = uploads.detect_kind
    monkeypatch.setattr(uploads, "detect_kind", lambda upload: seen.append(1) or detect(upload))
    client.force_login(world.member)
    response = client.post(
        "/groups/tanzania/documents/",
        {"title": "Fees", "file": SimpleUploadedFile("fees.csv", b"district,fee\n")},
    )
    assert response.status_code == 302
    assert seen == [1]


def test_zip_bomb_is_refused_beside_the_field(client, world, tmp_path):
    from tests.asmhub.zips import office_zip

    client.force_login(world.member)
    bomb = office_zip(empty_entries=20_000)
    response = client.post(
        "/groups/tanzania/documents/",
        {"title": "Bomb", "file": SimpleUploadedFile("bomb.docx", bomb)},
    )
    assert response.status_code == 200
    assert "more than 10,000 parts" in response.context["form"].errors["file"][0]


def test_admin_delete_removes_the_stored_file_after_commit(
    client, world, django_capture_on_commit_callbacks
):
    """Before: deleting a group document in admin left its bytes in storage."""
    from tests.factories import CuratorFactory

    path = Path(world.document.file.path)
    assert path.exists()
    client.force_login(CuratorFactory())
    url = f"/admin/learning_groups/groupdocument/{world.document.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not GroupDocument.objects.filter(pk=world.document.pk).exists()
    assert not path.exists()


def test_admin_bulk_delete_removes_every_stored_file(
    client, world, django_capture_on_commit_callbacks
):
    from tests.factories import CuratorFactory

    second = services.document_upload(
        group=world.group,
        actor=world.member,
        title="Second",
        upload=SimpleUploadedFile("b.txt", b"more\n"),
    )
    paths = [Path(world.document.file.path), Path(second.file.path)]
    client.force_login(CuratorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/learning_groups/groupdocument/",
            {
                "action": "delete_selected",
                "post": "yes",
                "_selected_action": [world.document.pk, second.pk],
            },
        )
    assert response.status_code == 302
    assert not GroupDocument.objects.exists()
    assert not any(path.exists() for path in paths)


def test_admin_delete_rolled_back_keeps_the_file(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.factories import CuratorFactory

    curator = CuratorFactory()
    pk, path = world.document.pk, Path(world.document.file.path)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.document_remove(actor=curator, document=world.document)
        raise RuntimeError("later failure")
    assert callbacks == []
    assert GroupDocument.objects.filter(pk=pk).exists()
    assert path.exists()


def test_admin_deleting_a_group_removes_its_document_files(
    client, world, django_capture_on_commit_callbacks
):
    """Before: the documents' rows went with the group (cascade), their bytes stayed."""
    from learning_groups.models import LearningGroup
    from tests.factories import CuratorFactory

    path = Path(world.document.file.path)
    # Deleting a group also deletes its activity log, which only superusers may delete.
    client.force_login(CuratorFactory(is_superuser=True))
    url = f"/admin/learning_groups/learninggroup/{world.group.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not LearningGroup.objects.filter(slug="tanzania").exists()
    assert not path.exists()
