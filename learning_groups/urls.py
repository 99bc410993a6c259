"""URLs of the learning_groups component (mounted at /groups/ by asmhub/urls.py)."""

from django.urls import path

from . import views

app_name = "learning_groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("mine/", views.my_groups, name="mine"),
    path("invitations/<text:key>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/join/", views.join_request, name="join"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<slug:slug>/join-requests/<int:request_id>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/settings/", views.member_settings, name="settings"),
    path("<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<slug:slug>/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/respond/",
        views.meeting_respond,
        name="meeting_respond",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/cancel/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/actions/new/",
        views.action_new,
        name="action_new",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/meeting.ics",
        views.meeting_calendar,
        name="meeting_ics",
    ),
    path("<slug:slug>/actions/<int:item_id>/status/", views.action_status, name="action_status"),
    path("<slug:slug>/calendar.ics", views.group_calendar, name="calendar"),
    path("<slug:slug>/calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<slug:slug>/documents/", views.documents, name="documents"),
    path(
        "<slug:slug>/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/publish/",
        views.document_publish,
        name="document_publish",
    ),
]
