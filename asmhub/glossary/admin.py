"""Curators edit the glossary in admin."""

from django.contrib import admin

from asmhub.glossary.models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["en", "es", "fr", "pt", "sw", "expand_search"]
    list_editable = ["expand_search"]
    search_fields = ["en", "es", "fr", "pt", "sw", "note"]
    list_filter = ["expand_search"]
