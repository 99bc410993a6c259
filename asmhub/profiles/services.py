"""Writes to profiles (HackSoft-style services: keyword-only, atomic, validated)."""

from django.conf import settings
from django.db import transaction

from asmhub.access import require

from .models import Profile, User


def profile_get_or_create(*, user: User, language: str = "") -> Profile:
    """The user's profile, created on first need (`language`: the one they signed up in)."""
    defaults = {"display_name": user.get_full_name() or user.email.split("@")[0]}
    if language in dict(settings.LANGUAGES):
        defaults["preferred_language"] = language
    profile, _created = Profile.objects.get_or_create(user=user, defaults=defaults)
    return profile


@transaction.atomic
def profile_update(*, actor, profile: Profile, data: dict) -> Profile:
    """Its owner edits a profile (curators use the admin)."""
    require(actor is not None and actor.is_authenticated and actor.pk == profile.user_id)
    languages = data.pop("languages", None)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    if languages is not None:
        profile.languages.set(languages)
    return profile
