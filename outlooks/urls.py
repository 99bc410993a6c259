"""URLs of the outlooks component (mounted by asmhub/urls.py)."""

from django.urls import path

from outlooks import views

app_name = "outlooks"

edition = "<country:country_code>/<int:year>/"

urlpatterns = [
    path("", views.edition_list, name="list"),
    path("new/", views.edition_create, name="create"),
    path("compare/", views.compare, name="compare"),
    path("compare/export.csv", views.compare_export, {"fmt": "csv"}, name="compare_csv"),
    path("compare/export.json", views.compare_export, {"fmt": "json"}, name="compare_json"),
    path(edition, views.edition_detail, name="detail"),
    path(edition + "edit/", views.edition_edit, name="edit"),
    path(edition + "edit/sections/<slug:slug>/", views.section_edit, name="edit_section"),
    path(edition + "edit/indicators/<slug:code>/", views.indicator_edit, name="edit_indicator"),
    path(edition + "submit/", views.edition_submit, name="submit"),
    path(edition + "review/", views.edition_review, name="review"),
    path(edition + "export.csv", views.edition_export, {"fmt": "csv"}, name="export_csv"),
    path(edition + "export.json", views.edition_export, {"fmt": "json"}, name="export_json"),
    path(edition + "export.pdf", views.edition_export, {"fmt": "pdf"}, name="export_pdf"),
]
