"""Admin for curators: dialogue records with their sessions, counts, papers and follow-ups."""

import zoneinfo

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Dialogue,
    DialogueResource,
    DialogueSeries,
    FollowUpAction,
    FollowUpUpdate,
    NamedParticipant,
    ParticipationCount,
    Session,
)
from .services import (
    can_publish,
    dialogue_publish,
    follow_up_record,
    follow_up_update_delete,
    mark_published,
)


class ParticipationFormSet(BaseInlineFormSet):
    """Checks the counts together: their sum must match the dialogue's stated total, if any."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # each row's own errors are shown beside its fields first
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        stated = self.instance.participants_total
        if not rows or stated is None:
            return
        counted = sum(row.get(g) or 0 for row in rows for g in ("women", "men", "other"))
        if counted != stated:
            raise ValidationError(
                _(
                    "The participation counts add up to %(counted)d, but the dialogue's total "
                    "participants is %(stated)d. Correct the counts or the total."
                )
                % {"counted": counted, "stated": stated}
            )


class ParticipationCountInline(admin.TabularInline):
    model = ParticipationCount
    formset = ParticipationFormSet
    extra = 0
    fields = ["stakeholder_type", "women", "men", "other", "total"]


class NamedParticipantInline(admin.TabularInline):
    model = NamedParticipant
    extra = 0
    fields = ["name", "role", "organisation", "stakeholder_type", "consent_to_publish"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    verbose_name_plural = _("Sessions (times in the dialogue's time zone once it is saved)")
    fields = ["starts_at", "title", "format", "summary"]


class DialogueResourceInline(admin.TabularInline):
    model = DialogueResource
    extra = 0
    raw_id_fields = ["resource"]
    fields = ["resource", "kind", "position"]


class FollowUpActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0
    show_change_link = True  # its dated status updates are edited on the action's own page
    fields = ["description", "organisation", "stakeholder_type", "responsible", "due_date"]
    autocomplete_fields = ["organisation"]


@admin.register(DialogueSeries)
class DialogueSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "series",
        "scope",
        "start_date",
        "status",
        "visibility",
        "is_published",
    ]
    list_filter = ["is_published", "visibility", "status", "scope", "series", "themes"]
    search_fields = ["title", "issue", "place"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series", "countries", "convening_organisations", "allowed_users"]
    filter_horizontal = ["themes"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [
        SessionInline,
        ParticipationCountInline,
        NamedParticipantInline,
        DialogueResourceInline,
        FollowUpActionInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "issue", "series", "scope", "countries", "themes"]}),
        (
            _("When and where"),
            {"fields": ["start_date", "end_date", "place", "time_zone"]},
        ),
        (_("Who"), {"fields": ["co_chairs", "convening_organisations", "participants_total"]}),
        (
            _("Outcomes"),
            {"fields": ["outcome_summary", "key_agreements", "continued_disagreements"]},
        ),
        (
            _("Status and access"),
            {
                "fields": [
                    "status",
                    "visibility",
                    "allowed_users",
                    "is_published",
                    "published_at",
                    "published_by",
                ]
            },
        ),
    ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Session times are entered and shown in the dialogue's own time zone, as on its page.
        zone = "UTC"
        if object_id and str(object_id).isdigit():
            zone = (
                Dialogue.objects.filter(pk=object_id).values_list("time_zone", flat=True).first()
                or zone
            )
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders lazily: do it inside the zone
            return response

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields.append("is_published")
        return fields

    def save_model(self, request, obj, form, change):
        if "is_published" in form.changed_data:
            mark_published(dialogue=obj, published=obj.is_published, user=request.user)
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description=_("Publish the selected dialogues"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Withdraw the selected dialogues"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        dialogues = list(queryset)
        for dialogue in dialogues:
            dialogue_publish(dialogue=dialogue, user=request.user, published=published)
        message = (
            ngettext("%d dialogue published.", "%d dialogues published.", len(dialogues))
            if published
            else ngettext("%d dialogue withdrawn.", "%d dialogues withdrawn.", len(dialogues))
        )
        self.message_user(request, message % len(dialogues), messages.SUCCESS)


class FollowUpUpdateInline(admin.TabularInline):
    """Updates are history: new ones are added through the service, old ones are read-only."""

    model = FollowUpUpdate
    extra = 1
    fields = ["date", "status", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ["description", "dialogue", "who", "due_date", "current_status"]
    list_filter = ["dialogue__series"]
    search_fields = ["description", "dialogue__title"]
    autocomplete_fields = ["dialogue", "organisation"]
    inlines = [FollowUpUpdateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("dialogue", "organisation", "stakeholder_type")
            .prefetch_related("updates")
        )

    def save_formset(self, request, form, formset, change):
        # Through the services: who recorded each status change, and the same access rule.
        for update in formset.save(commit=False):
            if update.pk is None:
                follow_up_record(
                    action=form.instance,
                    status=update.status,
                    date=update.date,
                    note=update.note,
                    actor=request.user,
                )
        for deleted in formset.deleted_objects:
            follow_up_update_delete(update=deleted, actor=request.user)
