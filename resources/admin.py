"""The curators' moderation queue and editor for the library (Django admin).

Every review step (status and featuring) goes through resources.services, so reviewers are
recorded, submitters are emailed, the search index follows and the services' access rules
apply, whether a curator uses a bulk action or the edit form. Staff who are not curators see
the review state read-only.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from asmhub.uploads import check_upload
from resources.lookups import can_review
from resources.models import Resource, ResourceFile, SearchLogEntry
from resources.search import resource_reindex
from resources.services import (
    resource_delete,
    resource_feature,
    resource_publish,
    resource_reject,
    resource_reopen,
    resource_withdraw,
)


class ResourceFileForm(forms.ModelForm):
    """A file added in admin is checked by content like any other upload."""

    class Meta:
        model = ResourceFile
        fields = ["file", "language", "label"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            kind = check_upload(upload)
            self.instance.checked_extension = kind.extension
            self.instance.content_type = kind.content_type
            self.instance.size = kind.size
            self.instance.original_name = (upload.name or "")[-255:]
            self.instance.extraction = ResourceFile.Extraction.PENDING
            self.instance.text = ""
        return upload


class ResourceFileInline(admin.TabularInline):
    model = ResourceFile
    form = ResourceFileForm
    extra = 1
    fields = ["file", "language", "label", "original_name", "content_type", "size", "extraction"]
    readonly_fields = ["original_name", "content_type", "size", "extraction"]


class ResourceAdminForm(forms.ModelForm):
    """The fields come from ResourceAdmin.fieldsets."""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Resource.Status.REJECTED
            and not (cleaned.get("review_note") or "").strip()
        ):
            self.add_error("review_note", _("Say why the resource is rejected."))
        if cleaned.get("featured") and cleaned.get("status") != Resource.Status.PUBLISHED:
            self.add_error("featured", _("Only published resources can be featured."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the submitters)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    inlines = [ResourceFileInline]
    list_display = [
        "title",
        "status",
        "resource_type",
        "featured",
        "submitted_by",
        "created_at",
        "published_at",
    ]
    list_filter = ["status", "resource_type", "featured", "scope", "countries", "themes"]
    search_fields = ["title", "summary", "authors", "slug", "doi", "submitted_by__email"]
    list_select_related = ["submitted_by"]
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["countries", "regions", "commodities", "themes", "languages"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "published_at",
        "download_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "resource_type", "status", "featured"]}),
        (
            _("Description"),
            {
                "fields": [
                    "authors",
                    "organisation",
                    "year",
                    "licence",
                    "external_url",
                    "doi",
                    "tags",
                ]
            },
        ),
        (
            _("Classification"),
            {"fields": ["scope", "countries", "regions", "commodities", "themes", "languages"]},
        ),
        (
            _("Review"),
            {
                "fields": [
                    "review_note",
                    "submitted_by",
                    "reviewed_by",
                    "reviewed_at",
                    "published_at",
                    "download_count",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = ["publish", "reject", "feature", "unfeature", "withdraw"]
    REVIEW_OUTCOMES = (
        Resource.Status.PUBLISHED,
        Resource.Status.REJECTED,
        Resource.Status.WITHDRAWN,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_review(request.user):
            fields += ["status", "featured"]  # the review state is the curators' business
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # Django 6's default, and the safe one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # ------------------------------------------------------------ saving through services

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submitted_by = request.user  # curators create resources directly
        # Per-request state lives on the request: one ModelAdmin serves every thread.
        before = (
            Resource.objects.filter(pk=obj.pk).values_list("status", "featured").first()
            if change
            else None
        ) or (Resource.Status.DRAFT, False)
        # The form's status and featured are wishes: the services make the change (reviewer,
        # dates, email, index) once everything else is saved.
        request.resource_target_status = obj.status if obj.status != before[0] else None
        request.resource_target_featured = obj.featured if obj.featured != before[1] else None
        obj.status, obj.featured = before
        request.resource_new_files = []
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Rows whose file is new or replaced need their text extracted; removed rows' bytes go
        # once the deletion is committed.
        changed = [
            f.instance
            for f in formset.forms
            if "file" in f.changed_data and f not in formset.deleted_forms
        ]
        removed = [f.instance.file.name for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        request.resource_new_files += [instance.pk for instance in changed if instance.pk]
        storage = ResourceFile._meta.get_field("file").storage
        for name in removed:
            transaction.on_commit(lambda name=name: storage.delete(name))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        resource = form.instance
        became = request.resource_target_status
        if became == Resource.Status.PUBLISHED:
            resource = resource_publish(
                actor=request.user, resource=resource, note=resource.review_note
            )
        elif became == Resource.Status.REJECTED:
            resource = resource_reject(
                actor=request.user, resource=resource, reason=resource.review_note
            )
        elif became == Resource.Status.WITHDRAWN:
            resource = resource_withdraw(actor=request.user, resource=resource)
        elif became in (Resource.Status.PENDING, Resource.Status.DRAFT):
            resource = resource_reopen(actor=request.user, resource=resource, status=became)
        featured = request.resource_target_featured
        if featured is not None and featured != resource.featured:
            resource = resource_feature(actor=request.user, resource=resource, featured=featured)
        if became is None and featured is None:
            resource_reindex(resource_id=resource.pk)
        form.instance.status, form.instance.featured = resource.status, resource.featured
        from resources.tasks import extract_file_text

        for file_id in request.resource_new_files:
            transaction.on_commit(lambda file_id=file_id: extract_file_text.enqueue(file_id))

    # ------------------------------------------------------------ deleting through the service

    def delete_model(self, request, obj):
        resource_delete(actor=request.user, resource=obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one service call each, so every resource's files go;
        # all or none, like Django's own bulk delete.
        with transaction.atomic():
            for resource in queryset:
                resource_delete(actor=request.user, resource=resource)

    # ------------------------------------------------------------ bulk actions

    def _apply(self, request, queryset, service, done_message, **kwargs):
        done, failed = 0, []
        for resource in queryset:
            try:
                with transaction.atomic():
                    service(actor=request.user, resource=resource, **kwargs)
            except ValidationError as error:
                failed.append(f"{resource}: {' '.join(error.messages)}")
            except Http404:  # the services refused this user (a staff member, not a curator)
                failed.append(f"{resource}: {_('only curators review resources.')}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.WARNING)

    @admin.action(description=_("Publish selected resources"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            resource_publish,
            lambda n: ngettext("%d resource published.", "%d resources published.", n) % n,
        )

    @admin.action(
        description=_("Reject selected resources (with a reason)…"), permissions=["change"]
    )
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request,
                queryset,
                resource_reject,
                lambda n: ngettext("%d resource rejected.", "%d resources rejected.", n) % n,
                reason=form.cleaned_data["reason"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject resources"),
            "form": form,
            "resources": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/resources/reject.html", context)

    @admin.action(
        description=_("Feature selected resources on the home page"), permissions=["change"]
    )
    def feature(self, request, queryset):
        self._apply(
            request,
            queryset,
            resource_feature,
            lambda n: ngettext("%d resource featured.", "%d resources featured.", n) % n,
        )

    @admin.action(description=_("Stop featuring selected resources"), permissions=["change"])
    def unfeature(self, request, queryset):
        self._apply(
            request,
            queryset,
            resource_feature,
            lambda n: ngettext("%d resource unfeatured.", "%d resources unfeatured.", n) % n,
            featured=False,
        )

    @admin.action(description=_("Withdraw selected resources"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._apply(
            request,
            queryset,
            resource_withdraw,
            lambda n: ngettext("%d resource withdrawn.", "%d resources withdrawn.", n) % n,
        )


# -------------------------------------------------------------------- search log
class FoundNothingFilter(admin.SimpleListFilter):
    title = _("results")
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("nothing", _("Found nothing")), ("something", _("Found something"))]

    def queryset(self, request, queryset):
        if self.value() == "nothing":
            return queryset.filter(results=0)
        if self.value() == "something":
            return queryset.filter(results__gt=0)
        return queryset


@admin.register(SearchLogEntry)
class SearchLogEntryAdmin(admin.ModelAdmin):
    """Top searches per month (sorted by count) and searches that found nothing (the filter),
    exported as CSV. Read-only: the log is written by searches only."""

    list_display = ["month", "words", "filters", "language", "searches", "results"]
    list_filter = [FoundNothingFilter, "month", "language", "aggregated"]
    search_fields = ["words"]
    ordering = ["-month", "-searches"]
    date_hierarchy = "month"
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected searches as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="search-log.csv"'
        writer = csv.writer(response)
        writer.writerow(["month", "words", "filters", "language", "searches", "results"])
        for entry in queryset.order_by("-month", "-searches").iterator():
            writer.writerow(
                [
                    entry.month.strftime("%Y-%m"),
                    _csv_safe(entry.words),
                    _csv_safe(entry.filters),
                    entry.language,
                    entry.searches,
                    entry.results,
                ]
            )
        return response


def _csv_safe(value: str) -> str:
    """Typed words are untrusted: a leading =, +, - or @ must not run as a spreadsheet formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class TagAdmin(TaggitTagAdmin):
    """django-taggit's tag admin, with its merge page refusing what names no existing tags.

    taggit's merge view reads the tag ids kept in the session and looks each one up with
    get(): posted with no tags chosen (or after one was deleted), it failed with a 500.
    """

    def merge_tags_view(self, request):
        if request.method == "POST" and not _selected_tags_exist(request):
            self.message_user(
                request,
                _("Choose the tags to merge in the tag list first (action “Merge selected tags”)."),
                level=messages.ERROR,
            )
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)


def _selected_tags_exist(request) -> bool:
    ids = request.session.get("selected_tag_ids", "").split(",")
    if not all(i.isascii() and i.isdigit() and len(i) <= 18 for i in ids):
        return False
    wanted = {int(i) for i in ids}
    return Tag.objects.filter(pk__in=wanted).count() == len(wanted)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
