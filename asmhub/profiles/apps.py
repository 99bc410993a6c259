"""App config for people and organisations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "asmhub.profiles"
    label = "profiles"
    verbose_name = _("People and organisations")
