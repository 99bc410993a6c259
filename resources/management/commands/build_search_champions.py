"""Rebuild the champion lists of frequent words that keep relevance pages fast and exact."""

from django.core.management.base import BaseCommand

from resources.search import CHAMPION_LIST_SIZE, CHAMPION_MIN_DF, champions_rebuild


class Command(BaseCommand):
    help = "Recompute the frequent words and their impact-ordered champion lists."

    def add_arguments(self, parser):
        parser.add_argument("--min-df", type=int, default=CHAMPION_MIN_DF)
        parser.add_argument("--size", type=int, default=CHAMPION_LIST_SIZE)

    def handle(self, *args, min_df, size, **options):
        lists = champions_rebuild(min_df=min_df, size=size)
        self.stdout.write(f"{lists} champion lists (words in at least {min_df} resources).")
