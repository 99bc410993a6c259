"""The OAI-PMH endpoint's URL (mounted at /oai/ by asmhub/urls.py)."""

from django.urls import path

from resources import oai

urlpatterns = [path("", oai.endpoint, name="oai")]
