"""Media on S3-compatible storage (a local moto server): upload, download, refusal, deletion.

The same services and views as on local disk; only STORAGES["default"] differs, as in
production when AWS_STORAGE_BUCKET_NAME is set.
"""

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource, ResourceFile
from resources.services import NewFile, resource_submit, resource_update
from tests import s3 as s3_fixtures
from tests.resources.conftest import pdf_upload
from tests.s3 import s3_client

# The local S3 server and the bucket switch, used as fixtures here.
moto_endpoint = s3_fixtures.moto_endpoint
s3_media = s3_fixtures.s3_media

pytestmark = pytest.mark.django_db


def _submit(partner, *, status="published"):
    resource = resource_submit(
        submitted_by=partner,
        data={"title": "Tin mining in Bolivia", "summary": "About tin."},
        files=[NewFile(upload=pdf_upload())],
    )
    Resource.objects.filter(pk=resource.pk).update(
        status=status, published_at=timezone.now() if status == "published" else None
    )
    return resource


def test_upload_writes_one_private_object_under_a_random_name(partner, s3_media, moto_endpoint):
    resource = _submit(partner)
    stored = resource.files.get()
    assert type(storages["default"]).__name__ == "S3Storage"
    assert s3_media() == [stored.file.name]
    assert stored.file.name.startswith("uploads/")
    bucket = default_storage.bucket_name
    acl = s3_client(moto_endpoint).get_object_acl(Bucket=bucket, Key=stored.file.name)
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
    head = s3_client(moto_endpoint).head_object(Bucket=bucket, Key=stored.file.name)
    assert head["ContentDisposition"] == "attachment"
    # No public URL: anything the backend hands out is signed and short-lived.
    url = default_storage.url(stored.file.name)
    assert "X-Amz-Signature=" in url or "Signature=" in url


def test_download_streams_through_the_app_with_todays_headers(client, partner, s3_media):
    resource = _submit(partner)
    response = client.get(reverse("resources:download", args=[resource.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    # Named from the title and the checked type, never the uploaded file's own name.
    title = resource.title
    assert f'filename="{title}.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert len(body) == resource.files.get().size


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_an_unpublished_file_is_refused_to_others(client, partner, user, s3_media, status):
    resource = _submit(partner, status=status)
    url = reverse("resources:download", args=[resource.slug])
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(partner)
    assert client.get(url).status_code == 200


def test_removing_a_file_deletes_its_object_once_committed(
    partner, s3_media, django_capture_on_commit_callbacks
):
    resource = _submit(partner, status="pending")
    resource_update(
        actor=partner,
        resource=resource,
        data={"external_url": "https://example.org/tin"},
        files=[NewFile(upload=pdf_upload("second.pdf"))],
    )
    first, second = resource.files.order_by("pk")
    assert len(s3_media()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        resource_update(actor=partner, resource=resource, data={}, remove_files=[first])
    assert s3_media() == [second.file.name]
    assert not ResourceFile.objects.filter(pk=first.pk).exists()


def test_a_failed_submission_leaves_no_object_behind(partner, s3_media):
    from unittest import mock

    with (
        mock.patch("resources.services.resource_reindex", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        _submit(partner)
    assert s3_media() == []
    assert not Resource.objects.exists()


def test_an_unreachable_object_store_is_a_clear_error_and_saves_nothing(client, partner, s3_media):
    """The store down during an upload: the form says so, no resource, no object (issue 15)."""
    from unittest import mock

    from botocore.exceptions import EndpointConnectionError

    client.force_login(partner)
    data = {
        "title": "Sent while the store is down",
        "summary": "s",
        "resource_type": "report",
        "languages": "en",
        "scope": "countries",
        "countries": "TZ",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "10",
        "files-0-file": pdf_upload(),
    }
    with mock.patch(
        "storages.backends.s3.S3Storage._save",
        side_effect=EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
    ):
        response = client.post(reverse("resources:submit"), data)
    assert response.status_code == 200
    assert "The file store is not answering, so nothing was saved." in response.content.decode()
    assert 'value="Sent while the store is down"' in response.content.decode()
    assert not Resource.objects.exists()
    assert s3_media() == []
