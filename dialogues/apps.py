"""Records of multi-stakeholder sector dialogues: who came, what was agreed, what followed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dialogues"
    verbose_name = _("Sector dialogues")
