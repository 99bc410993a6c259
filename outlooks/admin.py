"""Curators' admin for Outlooks: the methodology as data, editions, their workflow and history.

Creating an edition, naming its authors and changing its status go through the public
services (the form and the actions below), so the access rules apply and the history is always
recorded; a published edition is read-only here: corrections are made on the site and become
revisions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning_groups.models import Membership
from outlooks import services
from outlooks.models import (
    Edition,
    EditionEvent,
    IndicatorDefinition,
    IndicatorValue,
    Methodology,
    Revision,
    SectionDefinition,
    SectionText,
)


class SectionDefinitionInline(admin.StackedInline):
    model = SectionDefinition
    extra = 0
    fields = [("position", "slug", "title"), "guidance"]
    prepopulated_fields = {"slug": ["title"]}


class IndicatorDefinitionInline(admin.StackedInline):
    model = IndicatorDefinition
    extra = 0
    fields = [
        ("position", "code", "name"),
        ("unit", "kind", "theme", "gender_breakdown"),
        "guidance",
    ]


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_current", "published_at"]
    list_filter = ["is_current"]
    search_fields = ["title", "version"]
    inlines = [SectionDefinitionInline, IndicatorDefinitionInline]


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "unit", "theme", "methodology", "position"]
    list_filter = ["methodology", "kind", "theme"]
    search_fields = ["name", "code"]


class _PublishedReadOnly:
    """Inlines of a published edition are read-only: corrections make revisions instead."""

    def _published(self, obj):
        return obj is not None and obj.is_published

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)


class SectionTextInline(_PublishedReadOnly, admin.StackedInline):
    model = SectionText
    extra = 0
    fields = ["section", "body"]


class IndicatorValueInline(_PublishedReadOnly, admin.StackedInline):
    model = IndicatorValue
    extra = 0
    raw_id_fields = ["source_resource"]
    fields = [
        "indicator",
        ("value", "low", "high"),
        ("women", "men"),
        ("text_value", "yes_no"),
        ("data_year", "confidence"),
        ("source_resource", "source_citation"),
        "note",
    ]


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["number", "published_at", "published_by", "change_note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EditionEventInline(admin.TabularInline):
    model = EditionEvent
    extra = 0
    fields = ["at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EditionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        authors = cleaned.get("authors")
        country = cleaned.get("country") or getattr(self.instance, "country", None)
        if authors and country is not None:
            members = set(
                Membership.objects.filter(group__country=country, user__in=authors).values_list(
                    "user_id", flat=True
                )
            )
            outsiders = [str(user) for user in authors if user.pk not in members]
            if outsiders:
                self.add_error(
                    "authors",
                    _("Only members of the country's learning group can be authors: %s.")
                    % ", ".join(outsiders),
                )
        return cleaned


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    form = EditionAdminForm
    list_display = ["title", "country", "year", "status", "methodology", "updated_at"]
    list_filter = ["status", "year", "methodology", "country"]
    search_fields = ["title", "summary", "country__name"]
    date_hierarchy = "created_at"
    filter_horizontal = ["authors"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at", "published_at"]
    inlines = [SectionTextInline, IndicatorValueInline, RevisionInline, EditionEventInline]
    actions = ["publish", "return_to_authors"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [f.name for f in Edition._meta.fields] + ["authors"]
        if obj is not None:
            return [*self.readonly_fields, "country", "year", "methodology"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new edition is created by the service (rights, history); the inlines then attach
        # to the row it made.
        created = services.edition_create(
            actor=request.user,
            country=obj.country,
            year=obj.year,
            title=obj.title,
            summary=obj.summary,
            methodology=obj.methodology,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Authors are named through the service: only members of the country's group, and
        # the change is recorded in the edition's history.
        authors = form.cleaned_data.get("authors") if "authors" in form.fields else None
        if authors is not None:
            form.cleaned_data = {k: v for k, v in form.cleaned_data.items() if k != "authors"}
        super().save_related(request, form, formsets, change)
        edition = form.instance
        if authors is not None and set(authors) != set(edition.authors.all()):
            services.edition_set_authors(actor=request.user, edition=edition, authors=authors)

    def _run(self, request, queryset, step, done_message):
        done = 0
        for edition in queryset:
            try:
                step(edition)
            except ValidationError as error:
                text = " ".join(error.messages)
                self.message_user(request, f"{edition}: {text}", messages.ERROR)
            except Http404:  # refused by the services' rules
                text = _("not allowed")
                self.message_user(request, f"{edition}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Publish the selected editions (in review)"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda e: services.edition_publish(actor=request.user, edition=e),
            lambda n: ngettext("%d edition published.", "%d editions published.", n) % n,
        )

    @admin.action(description=_("Return the selected editions with their reviewer comments"))
    def return_to_authors(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda e: services.edition_return(
                actor=request.user, edition=e, comments=e.reviewer_comments
            ),
            lambda n: ngettext("%d edition returned.", "%d editions returned.", n) % n,
        )


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["edition", "number", "published_at", "published_by"]
    list_filter = ["edition__country"]
    search_fields = ["edition__title", "change_note"]
    readonly_fields = [
        "edition",
        "number",
        "published_at",
        "published_by",
        "change_note",
        "snapshot",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
