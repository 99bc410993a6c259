"""Keep 13 months of the search log in detail; roll older months up per month and words."""

from django.core.management.base import BaseCommand

from resources.search_log import KEEP_MONTHS, search_log_flush, search_log_roll_up


class Command(BaseCommand):
    help = f"Roll search log rows older than {KEEP_MONTHS} months up per month and words."

    def handle(self, *args, **options):
        search_log_flush()
        rolled, written = search_log_roll_up()
        self.stdout.write(f"Rolled {rolled} search log rows up into {written}.")
