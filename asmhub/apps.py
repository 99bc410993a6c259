"""App config for the project package itself (templates context, load_demo, cross-app pages)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsmHubConfig(AppConfig):
    name = "asmhub"
    verbose_name = _("ASM Hub")

    def ready(self):
        from asmhub.observability import connect_task_signals

        connect_task_signals()
