"""`manage.py requeue_stale_tasks`: tasks left RUNNING by a worker that died go back in the queue.

django-tasks' database backend marks a task RUNNING when a worker claims it; a worker killed
mid-task (OOM, a deploy, kill -9) leaves it RUNNING for ever, and e.g. a file never gets its
text. Run this before starting workers (with `--older-than-minutes 0` when this is the only
worker) or from cron with a margin longer than the slowest task. Tasks must be idempotent
(ours are: extraction rewrites the same text, emails are sent by their own services).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Put tasks that have been RUNNING for too long (their worker died) back in the queue."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=30)

    def handle(self, *args, older_than_minutes, **options):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        cutoff = timezone.now() - timedelta(minutes=max(older_than_minutes, 0))
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
        count = stale.update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"Requeued {count} stale task(s).")
