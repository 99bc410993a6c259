"""Library services: submission (atomic, no stray file), editing, review, downloads."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from asmhub.taxonomy.models import Country, Language, Theme
from resources import services
from resources.models import Resource, ResourceFile
from resources.services import (
    NewFile,
    resource_feature,
    resource_publish,
    resource_record_download,
    resource_reject,
    resource_submit,
    resource_update,
    resource_withdraw,
)
from tests.factories import ResourceFactory, UserFactory
from tests.resources.conftest import PDF_WORD, docx_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "title": "Mercury-free processing in Geita",
        "summary": "What miners learnt replacing amalgamation with gravity methods.",
        "resource_type": "report",
        "authors": "Amani Mushi; Neema Kileo",
        "year": 2024,
        "countries": [Country.objects.get(code="TZ")],
        "themes": Theme.objects.filter(slug__startswith="environment"),
    }
    data.update(overrides)
    return data


def test_submit_creates_pending_resource_with_checked_files(partner, stored_files):
    english = Language.objects.get(code="en")
    resource = resource_submit(
        submitted_by=partner,
        data=_data(),
        files=[
            NewFile(upload=pdf_upload("Geita report.PDF"), language=english, label="Report"),
            NewFile(upload=SimpleUploadedFile("annex.docx", docx_bytes())),
        ],
        tags=["sluice", "gravity"],
    )
    assert resource.status == Resource.Status.PENDING
    # Provisional until published (a pending submission never takes a public slug).
    assert resource.slug.startswith("mercury-free-processing-in-geita--")
    assert resource.submitted_by == partner
    assert list(resource.countries.values_list("code", flat=True)) == ["TZ"]
    assert sorted(resource.tags.names()) == ["gravity", "sluice"]
    pdf, docx = resource.files.all()
    assert (pdf.content_type, pdf.extension, pdf.language, pdf.label) == (
        "application/pdf",
        "pdf",
        english,
        "Report",
    )
    assert pdf.original_name == "Geita report.PDF"
    assert pdf.download_name == "Mercury-free processing in Geita - Report.pdf"
    assert docx.extension == "docx"
    # Stored under random names, not the uploader's.
    assert "Geita" not in pdf.file.name
    assert len(stored_files()) == 2


def test_submit_extracts_text_once_committed(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resource = resource_submit(
            submitted_by=partner, data=_data(), files=[NewFile(upload=pdf_upload())]
        )
    file = resource.files.get()
    assert file.extraction == ResourceFile.Extraction.DONE
    assert PDF_WORD in file.text


def test_slugs_are_unique_and_never_a_reserved_path(partner, curator):
    first = resource_submit(
        submitted_by=partner, data=_data(external_url="https://example.org/a"), files=[]
    )
    second = resource_submit(
        submitted_by=partner, data=_data(external_url="https://example.org/b"), files=[]
    )
    reserved = resource_submit(
        submitted_by=partner,
        data=_data(title="Submit", external_url="https://example.org/c"),
        files=[],
    )
    first, second, reserved = (
        resource_publish(actor=curator, resource=r) for r in (first, second, reserved)
    )
    assert second.slug == f"{first.slug}-2"
    assert reserved.slug == "submit-resource"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"external_url": "javascript:alert(1)"}, "external_url"),
        ({"external_url": "ftp://example.org/report.pdf"}, "external_url"),
        ({"year": timezone.now().year + 1}, "year"),
    ],
)
def test_submit_refuses_bad_input_and_stores_nothing(partner, stored_files, overrides, field):
    with pytest.raises(ValidationError) as error:
        resource_submit(
            submitted_by=partner, data=_data(**overrides), files=[NewFile(upload=pdf_upload())]
        )
    assert field in error.value.message_dict
    assert not Resource.objects.exists()
    assert stored_files() == []


def test_submit_needs_a_file_or_a_link(partner):
    with pytest.raises(ValidationError) as error:
        resource_submit(submitted_by=partner, data=_data(), files=[])
    assert "external_url" in error.value.message_dict


def test_second_file_invalid_leaves_no_record_and_no_file(partner, stored_files):
    html = SimpleUploadedFile("evil.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        resource_submit(
            submitted_by=partner,
            data=_data(),
            files=[NewFile(upload=pdf_upload()), NewFile(upload=html)],
        )
    assert "File 2 (evil.pdf)" in error.value.message_dict["files"][0]
    assert not Resource.objects.exists()
    assert not ResourceFile.objects.exists()
    assert stored_files() == []


def test_failure_after_files_are_saved_leaves_nothing(partner, stored_files, monkeypatch):
    def broken_reindex(*, resource_id):
        assert len(stored_files()) == 2  # both files really were written first
        raise RuntimeError("search index unavailable")

    monkeypatch.setattr(services, "resource_reindex", broken_reindex)
    with pytest.raises(RuntimeError):
        resource_submit(
            submitted_by=partner,
            data=_data(),
            files=[NewFile(upload=pdf_upload()), NewFile(upload=pdf_upload("b.pdf"))],
        )
    assert not Resource.objects.exists()
    assert stored_files() == []


def test_every_write_reindexes(partner, curator, monkeypatch):
    calls = []
    original = services.resource_reindex

    def spy(*, resource_id):
        calls.append(resource_id)
        original(resource_id=resource_id)

    monkeypatch.setattr(services, "resource_reindex", spy)
    resource = resource_submit(
        submitted_by=partner, data=_data(external_url="https://example.org"), files=[]
    )
    resource_update(actor=partner, resource=resource, data={"title": "Renamed"})
    resource_publish(actor=curator, resource=resource)
    resource_feature(actor=curator, resource=resource)
    resource_withdraw(actor=curator, resource=resource)
    assert calls == [resource.pk] * 5


# ---------------------------------------------------------------- editing


def test_submitter_edits_while_pending_and_swaps_files(
    partner, stored_files, django_capture_on_commit_callbacks
):
    resource = resource_submit(
        submitted_by=partner, data=_data(), files=[NewFile(upload=pdf_upload())]
    )
    old = resource.files.get()
    with django_capture_on_commit_callbacks(execute=True):
        resource_update(
            actor=partner,
            resource=resource,
            data={"title": "Better title", "year": 2023},
            files=[NewFile(upload=SimpleUploadedFile("annex.docx", docx_bytes()))],
            remove_files=[old],
            tags=["women"],
        )
    resource.refresh_from_db()
    assert (resource.title, resource.year, resource.status) == ("Better title", 2023, "pending")
    assert [f.extension for f in resource.files.all()] == ["docx"]
    assert list(resource.tags.names()) == ["women"]
    assert len(stored_files()) == 1  # the removed file's bytes are gone too


def test_other_people_cannot_edit(partner, other_partner):
    resource = ResourceFactory(submitted_by=partner, status="pending")
    with pytest.raises(Http404):
        resource_update(actor=other_partner, resource=resource, data={"title": "Mine now"})


def test_submitter_cannot_edit_once_reviewed(partner):
    """The same rule (and answer) as the edit page: 404 once the resource is reviewed."""
    resource = ResourceFactory(submitted_by=partner, status="published")
    with pytest.raises(Http404):
        resource_update(actor=partner, resource=resource, data={"title": "Sneaky change"})
    resource.refresh_from_db()
    assert resource.title != "Sneaky change"


def test_removing_the_only_file_needs_a_link(partner):
    resource = resource_submit(
        submitted_by=partner, data=_data(), files=[NewFile(upload=pdf_upload())]
    )
    with pytest.raises(ValidationError):
        resource_update(
            actor=partner, resource=resource, data={}, remove_files=list(resource.files.all())
        )
    assert resource.files.count() == 1


# ---------------------------------------------------------------- review


def test_publish_records_reviewer_and_emails_submitter(
    partner, curator, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(submitted_by=partner, status="pending", published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        resource_publish(actor=curator, resource=resource)
    resource.refresh_from_db()
    assert resource.status == "published"
    assert resource.reviewed_by == curator
    assert resource.reviewed_at is not None
    assert resource.published_at is not None
    (email,) = mail.outbox
    assert email.to == [partner.email]
    assert resource.title in email.subject
    assert resource.get_absolute_url() in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert resource.get_absolute_url() in html


def test_reject_needs_a_reason_which_the_submitter_receives(
    partner, curator, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(submitted_by=partner, status="pending")
    with pytest.raises(ValidationError):
        resource_reject(actor=curator, resource=resource, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        resource_reject(actor=curator, resource=resource, reason="Duplicate of an existing report.")
    resource.refresh_from_db()
    assert (resource.status, resource.reviewed_by) == ("rejected", curator)
    assert resource.review_note == "Duplicate of an existing report."
    assert "Duplicate of an existing report." in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(partner, curator):
    resource = ResourceFactory(submitted_by=partner, status="pending")
    resource_publish(actor=curator, resource=resource)  # on_commit never fires in this test
    assert mail.outbox == []


def test_feature_only_published(partner, curator, django_capture_on_commit_callbacks):
    pending = ResourceFactory(submitted_by=partner, status="pending")
    with pytest.raises(ValidationError):
        resource_feature(actor=curator, resource=pending)
    published = ResourceFactory(submitted_by=partner)
    with django_capture_on_commit_callbacks(execute=True):
        resource_feature(actor=curator, resource=published)
    published.refresh_from_db()
    assert published.featured and published.reviewed_by == curator
    assert len(mail.outbox) == 1
    resource_feature(actor=curator, resource=published, featured=False)
    published.refresh_from_db()
    assert not published.featured


def test_withdraw_unfeatures_and_hides(partner, curator, django_capture_on_commit_callbacks):
    resource = ResourceFactory(submitted_by=partner, featured=True)
    with django_capture_on_commit_callbacks(execute=True):
        resource_withdraw(
            actor=curator, resource=resource, reason="Superseded by the 2025 edition."
        )
    resource.refresh_from_db()
    assert (resource.status, resource.featured) == ("withdrawn", False)
    assert not Resource.objects.published().filter(pk=resource.pk).exists()
    assert "Superseded" in mail.outbox[0].body


@pytest.mark.parametrize("service", [resource_publish, resource_feature, services.resource_reopen])
def test_partners_cannot_review(partner, service):
    resource = ResourceFactory(submitted_by=partner, status="pending")
    with pytest.raises(Http404):
        service(actor=partner, resource=resource)
    with pytest.raises(Http404):
        resource_reject(actor=partner, resource=resource, reason="no")


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (resource_publish, {}),
        (resource_feature, {}),
        (resource_reject, {"reason": "Off topic."}),
        (services.resource_reopen, {}),
    ],
)
def test_staff_who_are_not_curators_cannot_review(partner, service, kwargs):
    """Signing in to the admin (is_staff) is not being a curator (the Curators group)."""
    staff = UserFactory(is_staff=True)
    resource = ResourceFactory(submitted_by=partner, status="published")
    with pytest.raises(Http404):
        service(actor=staff, resource=resource, **kwargs)
    resource.refresh_from_db()
    assert (resource.status, resource.featured, resource.reviewed_by) == ("published", False, None)


def test_only_curators_or_the_submitter_withdraw(partner, other_partner, curator):
    resource = ResourceFactory(submitted_by=partner)
    for wrong in (other_partner, UserFactory(is_staff=True)):
        with pytest.raises(Http404):
            resource_withdraw(actor=wrong, resource=resource)
    assert Resource.objects.get(pk=resource.pk).status == "published"
    resource_withdraw(actor=partner, resource=resource)
    assert Resource.objects.get(pk=resource.pk).status == "withdrawn"


def test_anonymous_cannot_submit():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        resource_submit(
            submitted_by=AnonymousUser(), data=_data(external_url="https://x.org"), files=[]
        )
    assert not Resource.objects.exists()


def test_curator_reopens_a_published_resource(partner, curator):
    resource = ResourceFactory(submitted_by=partner, featured=True)
    services.resource_reopen(actor=curator, resource=resource)
    resource.refresh_from_db()
    assert (resource.status, resource.featured, resource.reviewed_by) == (
        "pending",
        False,
        curator,
    )
    with pytest.raises(ValidationError):
        services.resource_reopen(actor=curator, resource=resource, status="published")


def test_download_count_is_an_atomic_increment(django_assert_num_queries):
    resource = ResourceFactory()
    with django_assert_num_queries(1):
        resource_record_download(resource=resource)
    resource_record_download(resource=resource)
    resource.refresh_from_db()
    assert resource.download_count == 2


# ---------------------------------------------------------------- deleting


def _submitted_with_file(partner):
    return resource_submit(
        submitted_by=partner,
        data={"title": "Going away", "summary": "s"},
        files=[NewFile(upload=pdf_upload())],
    )


def test_delete_removes_rows_then_files_once_committed(
    partner, curator, stored_files, django_capture_on_commit_callbacks
):
    resource = _submitted_with_file(partner)
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(actor=curator, resource=resource)
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not ResourceFile.objects.exists()
    assert stored_files() == []


def test_delete_rolled_back_keeps_rows_and_files(
    partner, curator, stored_files, django_capture_on_commit_callbacks
):
    from django.db import transaction

    resource = _submitted_with_file(partner)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.resource_delete(actor=curator, resource=resource)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert Resource.objects.filter(pk=resource.pk).exists()
    assert len(stored_files()) == 1


def test_only_curators_delete_resources(partner, stored_files):
    resource = _submitted_with_file(partner)
    with pytest.raises(Http404):
        services.resource_delete(actor=partner, resource=resource)
    assert Resource.objects.filter(pk=resource.pk).exists()
