"""App config for the project package itself (templates context, load_demo, cross-app pages)."""

from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class AsmHubConfig(AppConfig):
    name = "asmhub"
    verbose_name = _("ASM Hub")

    def ready(self):
        from asmhub.observability import connect_task_signals
        from asmhub.validators import CountryCodeConverter, PlainTextConverter

        connect_task_signals()

        # Registered here (before any URLconf loads) so every app's urls.py may use them.
        register_converter(CountryCodeConverter, "country")
        register_converter(PlainTextConverter, "text")
