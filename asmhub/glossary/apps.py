"""The multilingual ASM glossary (kernel): terms and their equivalents in five languages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "asmhub.glossary"
    label = "glossary"
    verbose_name = _("Glossary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from asmhub.glossary import signals  # noqa: F401 - connects the index refresh
