"""Template context shared by every page (navigation, language switcher)."""

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "ASM Hub",
        "SITE_URL": settings.SITE_URL,
    }
