"""URLs of the resources component (mounted by asmhub/urls.py)."""

from django.urls import path

from resources import views, views_browse

app_name = "resources"

# Fixed paths come before "<slug>/"; resource slugs never take them (models.RESERVED_SLUGS).
urlpatterns = [
    path("", views_browse.resource_list, name="list"),
    path("feed/", views_browse.ResourceFeed(), name="feed"),
    path("feed/atom/", views_browse.ResourceAtomFeed(), name="feed_atom"),
    path("submit/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/download/", views.download, name="download"),
    path("<slug:slug>/download/<int:file_id>/", views.download, name="download_file"),
    path("<slug:slug>/cite.bib", views.cite_bibtex, name="cite_bibtex"),
    path("<slug:slug>/cite.ris", views.cite_ris, name="cite_ris"),
    path("<slug:slug>/cite.json", views.cite_csl_json, name="cite_csl_json"),
]
