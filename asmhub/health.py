"""Deep health checks for operators: database, cache, media storage and the task queue.

Each check is timed and never raises: a dependency that is down shows as `ok: false` with the
error's class and message, so one JSON answer tells an operator what is wrong.
"""

import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.utils import timezone


def _timed(check):
    started = time.perf_counter()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as error:  # any failure of a dependency is a report, not a crash
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was just written")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _storage():
    # A metadata lookup of a name that never exists: a round trip, nothing written.
    default_storage.exists(f"healthz/{uuid.uuid4().hex}")
    return {"backend": type(storages["default"]).__name__}


def _tasks():
    if not apps.is_installed("django_tasks_db"):
        return {"queued": None, "oldest_queued_age_s": None}
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready()
    oldest = queued.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"queued": queued.count(), "oldest_queued_age_s": round(age, 1)}


def deep_checks() -> dict:
    return {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "storage": _timed(_storage),
        "tasks": _timed(_tasks),
    }
