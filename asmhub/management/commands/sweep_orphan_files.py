"""`manage.py sweep_orphan_files`: list stored objects no row references; `--delete` them."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from asmhub.backup import orphan_files


class Command(BaseCommand):
    help = (
        "List media objects that no row references and are older than a day (uploads in "
        "flight are younger); delete them only with --delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete what is listed")
        parser.add_argument(
            "--older-than-hours", type=int, default=24, help="minimum age (default 24)"
        )

    def handle(self, *args, delete, older_than_hours, **options):
        orphans = orphan_files(older_than=timedelta(hours=max(older_than_hours, 1)))
        for name in orphans:
            self.stdout.write(name)
            if delete:
                default_storage.delete(name)
        verb = "Deleted" if delete else "Found"
        self.stdout.write(f"{verb} {len(orphans)} orphan file(s).")
        if orphans and not delete:
            self.stdout.write("Run again with --delete to remove them.")
