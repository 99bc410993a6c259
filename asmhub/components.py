"""How the portal-wide pages (home, country pages, search, sitemap) read the component apps.

Each component app may provide small hook modules; the portal pages call whichever exist, so
component apps never need to know about the portal pages, and the kernel imports no component:
- `<app>/home.py`: `home_section(request) -> dict | None`
- `<app>/country.py`: `country_section(request, country) -> dict | None`
- `<app>/site_search.py`: `search_section(request, query) -> dict | None`
- `<app>/sitemaps.py`: `sitemaps = {"name": SitemapClass, ...}`
- `<app>/demo.py`: `load(*, stdout)`, called by `manage.py load_demo` in dependency order
A section is a context dict with a "template" key naming the partial that renders it.
"""

from importlib import import_module

from django.apps import apps

# In the order they build on each other (and appear on pages): resources first, outlooks last.
COMPONENT_APPS = ["resources", "learning_groups", "dialogues", "outlooks"]


def hook_modules(module_name: str):
    for label in COMPONENT_APPS:
        if not apps.is_installed(label):
            continue
        try:
            yield label, import_module(f"{label}.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"{label}.{module_name}":
                raise  # a real import error inside the hook module
            continue


def sections(module_name: str, function_name: str, *args) -> dict:
    """Call `function_name(*args)` in each component's hook module; keep non-empty results."""
    found = {}
    for label, module in hook_modules(module_name):
        section = getattr(module, function_name)(*args)
        if section:
            found[label] = section
    return found
