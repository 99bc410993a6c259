"""What the home page shows: the hub's own text plus sections the component apps contribute.

Each installed component may provide `home_section(request)` in its `home.py`, returning a
context dict (or None). The home page stays a thin view and component apps stay independent.
"""

from importlib import import_module

from django.apps import apps

from asmhub.taxonomy.models import Country

COMPONENT_APPS = ["resources", "learning_groups", "dialogues", "outlooks"]


def context(request) -> dict:
    sections = {}
    for label in COMPONENT_APPS:
        if not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.home")
        except ModuleNotFoundError:
            continue
        section = module.home_section(request)
        if section:
            sections[label] = section
    return {
        "programme_countries": list(Country.objects.programme()),
        "sections": sections,
    }
