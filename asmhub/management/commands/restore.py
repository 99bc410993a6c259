"""`manage.py restore DIR`: a backup into an empty database and an empty media storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from asmhub.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and media storage; "
        "checksums are verified first and row counts after."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database's tables and same-named media objects that exist",
        )

    def handle(self, *args, directory, force, **options):
        try:
            restore(directory, force=force, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
