"""Admin for curators: groups with their members, meetings with attendance and action items."""

from django.contrib import admin
from django.db import models, transaction

from . import services
from .models import (
    ActionItem,
    Activity,
    Attendance,
    GroupDocument,
    GroupOutput,
    Invitation,
    JoinRequest,
    LearningGroup,
    Meeting,
    Membership,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "emails", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]


@admin.register(LearningGroup)
class LearningGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone", "accepts_join_requests"]
    list_filter = ["country", "accepts_join_requests"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    # Through the service, so the group's document files go too once the deletion commits.
    def delete_model(self, request, obj):
        services.group_delete(group=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for group in queryset:
                services.group_delete(group=group, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "emails", "joined_at"]
    list_filter = ["role", "emails", "group__country", "group"]
    search_fields = ["user__email", "user__profile__display_name", "group__name"]
    list_select_related = ["user", "group"]
    autocomplete_fields = ["user", "group"]
    exclude = ["calendar_token"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["what", "owner", "due_date", "status"]
    autocomplete_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "starts_at", "status"]
    list_filter = ["status", "group__country", "group"]
    search_fields = ["title", "agenda", "minutes", "group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["group"]
    autocomplete_fields = ["group"]
    inlines = [AttendanceInline, ActionItemInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # Django 6's default, and the safe one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ActionItem):
                instance.group_id = form.instance.group_id
        formset.save()


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "group", "owner", "due_date", "status"]
    list_filter = ["status", "group"]
    search_fields = ["what", "owner__email"]
    list_select_related = ["group", "owner"]
    autocomplete_fields = ["group", "owner", "meeting"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "role", "created_at", "expires_at", "accepted_at", "revoked"]
    list_filter = ["group", "revoked"]
    search_fields = ["email", "group__name"]
    readonly_fields = ["accepted_by", "accepted_at", "invited_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "status", "created_at", "decided_by"]
    list_filter = ["status", "group"]
    search_fields = ["user__email", "group__name"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(GroupDocument)
class GroupDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "original_name", "uploaded_by", "uploaded_at"]
    list_filter = ["group"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by"]

    # Through the service, so the stored file goes too once the deletion commits.
    def delete_model(self, request, obj):
        services.document_remove(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for document in queryset:
                services.document_remove(document=document, actor=request.user)


@admin.register(GroupOutput)
class GroupOutputAdmin(admin.ModelAdmin):
    list_display = ["document", "resource", "published_by", "published_at"]
    readonly_fields = ["document", "resource", "published_by"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "group", "actor", "verb", "subject"]
    list_filter = ["verb", "group"]
    search_fields = ["subject", "actor__email"]
    list_select_related = ["group", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
