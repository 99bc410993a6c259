"""A task whose worker died mid-run goes back in the queue and runs again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resources.tasks import extract_file_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_task_left_running_is_requeued(db_tasks, capsys):
    extract_file_text.enqueue(0)
    stale = DBTaskResult.objects.get()
    stale.claim("dead-worker")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=1))
    extract_file_text.enqueue(1)
    fresh = DBTaskResult.objects.exclude(pk=stale.pk).get()
    fresh.claim("live-worker")

    call_command("requeue_stale_tasks", "--older-than-minutes", "30")

    assert "Requeued 1 stale task(s)." in capsys.readouterr().out
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == TaskResultStatus.READY
    assert stale.started_at is None
    assert fresh.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=stale.pk).exists()
