"""Weekly: email the digest to members who chose it (run from cron, e.g. Mondays 06:00 UTC)."""

from django.core.management.base import BaseCommand

from learning_groups.tasks import send_weekly_digests


class Command(BaseCommand):
    help = "Send the weekly learning-group digest to members who chose it."

    def handle(self, *args, **options):
        sent = send_weekly_digests.call()
        self.stdout.write(f"{sent} digest emails queued for the mail worker")
