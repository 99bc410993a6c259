"""`manage.py load_demo`: believable, invented programme content; safe to run again and again."""

from django.core.management.base import BaseCommand

from asmhub import demo
from asmhub.components import hook_modules


class Command(BaseCommand):
    help = "Load (or refresh) the demo content. Idempotent: running it twice changes nothing."

    def handle(self, *args, **options):
        self.stdout.write("Loading demo content…")
        demo.load(stdout=self.stdout)
        # Components in dependency order: resources first, outlooks last.
        for _label, module in hook_modules("demo"):
            module.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready. Demo curator login: {demo.CURATOR_EMAIL} / "
                f"{demo.DEMO_PASSWORD} (partners: e.g. {demo.demo_email('amani.mushi')}, "
                "same password)"
            )
        )
