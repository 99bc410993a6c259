"""URLs of the dialogues component (mounted by asmhub/urls.py)."""

from django.urls import path

from . import views

app_name = "dialogues"

urlpatterns = [
    path("", views.dialogue_list_view, name="list"),
    path("series/<slug:slug>/", views.series_detail_view, name="series"),
    path("<slug:slug>/", views.dialogue_detail_view, name="detail"),
]
