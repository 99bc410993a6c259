"""`manage.py backup DIR`: the database (pg_dump custom format) and every media object."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from asmhub.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every stored media object, with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty folder")

    def handle(self, *args, directory, **options):
        try:
            backup(directory, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
