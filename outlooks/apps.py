"""National ASM Outlooks: country editions written to one methodology, compared across countries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutlooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outlooks"
    verbose_name = _("National ASM Outlooks")
