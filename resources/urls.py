"""URLs of the resources component (mounted by asmhub/urls.py)."""

from django.http import Http404
from django.urls import path

from resources import views_browse

app_name = "resources"


def _detail_placeholder(request, slug):
    # Placeholder on the search branch only; the resources branch's detail view replaces it.
    raise Http404


urlpatterns = [
    path("", views_browse.resource_list, name="list"),
    path("feed/", views_browse.ResourceFeed(), name="feed"),
    path("feed/atom/", views_browse.ResourceAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", _detail_placeholder, name="detail"),
]
