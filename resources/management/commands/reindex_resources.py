"""Rebuild every resource's search vector and facet tokens (after taxonomy or region edits)."""

from django.core.management.base import BaseCommand

from resources.models import Resource
from resources.search import resources_reindex

BATCH = 1000


class Command(BaseCommand):
    help = "Recompute the stored search vector and facet tokens of every resource."

    def handle(self, *args, **options):
        ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            resources_reindex(resource_ids=ids[start : start + BATCH])
        self.stdout.write(f"Reindexed {len(ids)} resources.")
