"""National Learning and Leadership Groups: private workspaces where a country's leaders meet."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningGroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning_groups"
    verbose_name = _("Learning groups")
