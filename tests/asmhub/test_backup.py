"""Backups that restore: backup → restore into a fresh database and storage, counts and
checksums equal; refusal to overwrite; the orphan sweep."""

import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from asmhub.backup import orphan_files, row_counts, stored_names
from resources.services import NewFile, resource_submit
from tests import s3 as s3_fixtures
from tests.factories import UserFactory
from tests.resources.conftest import pdf_upload
from tests.s3 import CREDENTIALS, s3_client

# The local S3 server and the bucket switch, used as fixtures here.
moto_endpoint = s3_fixtures.moto_endpoint
s3_media = s3_fixtures.s3_media

ROOT = Path(__file__).resolve().parents[2]


def _admin_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def empty_database():
    """A new, empty database on the same server; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _database_url(name):
    db = settings.DATABASES["default"]
    host = db["HOST"] or "localhost"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgres://{auth}@/{name}?host={host}&port={db['PORT']}"
    return f"postgres://{auth}@{host}:{db['PORT']}/{name}"


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _seed():
    partner = UserFactory()
    for n in range(3):
        resource_submit(
            submitted_by=partner,
            data={"title": f"Restorable report {n}", "summary": "Kept safe."},
            files=[NewFile(upload=pdf_upload(f"report-{n}.pdf"))],
        )


def _restored_counts(database):
    conn = psycopg2.connect(_database_url(database))
    with conn, conn.cursor() as cursor:
        counts = {}
        for table in ("resources_resource", "resources_resourcefile", "profiles_user"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_a_fresh_database_and_folder(tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    _seed()
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    originals = {name: _sha256(default_storage.open(name).read()) for name in stored_names()}
    assert len(originals) == 3
    assert {item["name"]: item["sha256"] for item in manifest["media"]} == originals
    assert manifest["database"]["row_counts"]["resources.ResourceFile"] == 3

    restored_media = tmp_path / "restored-media"
    result = _manage(
        "restore",
        str(tmp_path / "backup"),
        env={
            "DATABASE_URL": _database_url(empty_database),
            "DJANGO_MEDIA_ROOT": str(restored_media),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restored" in result.stdout

    assert _restored_counts(empty_database) == {
        "resources_resource": 3,
        "resources_resourcefile": 3,
        "profiles_user": row_counts()["profiles.User"],
    }
    restored = {
        str(path.relative_to(restored_media)): _sha256(path.read_bytes())
        for path in restored_media.rglob("*")
        if path.is_file()
    }
    assert restored == originals

    # A second restore into the now non-empty database is refused.
    again = _manage(
        "restore",
        str(tmp_path / "backup"),
        env={"DATABASE_URL": _database_url(empty_database), "DJANGO_MEDIA_ROOT": str(tmp_path)},
    )
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_between_buckets(tmp_path, s3_media, moto_endpoint, empty_database):
    _seed()
    originals = {name: _sha256(default_storage.open(name).read()) for name in s3_media()}
    call_command("backup", str(tmp_path / "backup"))
    s3_client(moto_endpoint).create_bucket(Bucket="asmhub-restored")
    env = {
        "DATABASE_URL": _database_url(empty_database),
        "AWS_STORAGE_BUCKET_NAME": "asmhub-restored",
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": CREDENTIALS["access_key"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
    }
    result = _manage("restore", str(tmp_path / "backup"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    client = s3_client(moto_endpoint)
    restored = {
        item["Key"]: _sha256(
            client.get_object(Bucket="asmhub-restored", Key=item["Key"])["Body"].read()
        )
        for item in client.list_objects_v2(Bucket="asmhub-restored")["Contents"]
    }
    assert restored == originals
    assert _restored_counts(empty_database)["resources_resourcefile"] == 3


def test_a_damaged_backup_is_refused(tmp_path, db):
    (tmp_path / "media").mkdir()
    (tmp_path / "database.dump").write_bytes(b"changed")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"database": {"sha256": _sha256(b"original")}, "media": []})
    )
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, db):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_sweep_lists_old_orphans_and_deletes_only_with_delete(tmp_path, settings, db, capsys):
    settings.MEDIA_ROOT = tmp_path
    partner = UserFactory()
    resource = resource_submit(
        submitted_by=partner,
        data={"title": "Kept", "summary": "s"},
        files=[NewFile(upload=pdf_upload())],
    )
    kept = resource.files.get().file.name
    old_orphan = default_storage.save("uploads/2020/01/orphan.pdf", ContentFile(b"%PDF-1.4"))
    young_orphan = default_storage.save("uploads/2020/01/in-flight.pdf", ContentFile(b"%PDF"))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (kept, old_orphan):
        os.utime(default_storage.path(name), (two_days_ago, two_days_ago))

    assert orphan_files() == [old_orphan]
    call_command("sweep_orphan_files")
    out = capsys.readouterr().out
    assert old_orphan in out
    assert "Found 1 orphan file(s)." in out
    assert default_storage.exists(old_orphan)

    call_command("sweep_orphan_files", "--delete")
    assert "Deleted 1 orphan file(s)." in capsys.readouterr().out
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(kept)
    assert default_storage.exists(young_orphan)


def test_sweep_works_on_a_bucket(s3_media, db, capsys):
    orphan = default_storage.save("uploads/orphan.pdf", ContentFile(b"%PDF-1.4"))
    assert orphan_files() == []  # too young
    assert orphan_files(older_than=timedelta(seconds=-60)) == [orphan]
