"""The read-only JSON API's wiring (/api/): one router built from each component's `api.py`
hook (`routes = [(prefix, viewset, basename), …]`) and the kernel's taxonomy, its OpenAPI 3
document (/api/schema/) and its docs page (/api/docs/, Swagger UI from the hub's own static
files; the init script is a separate same-origin file so the page needs no inline script).

TODO (glossary): the glossary endpoint belongs with the glossary app (another branch); it
will register through the same hook when it lands.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from asmhub.components import hook_modules
from asmhub.taxonomy import api as taxonomy_api

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # one representation: JSON


def build_router() -> Router:
    router = Router(trailing_slash=True)
    modules = [module for _label, module in hook_modules("api")] + [taxonomy_api]
    for module in modules:
        for prefix, viewset, basename in module.routes:
            router.register(prefix, viewset, basename=basename)
    return router


# Swagger UI sets a few styles inline (a <style> block in its page): allowed on this page only.
docs_view = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    path("", include(build_router().urls)),
]
