"""Pages of the learning groups: the list, public pages, workspaces, meetings, calendars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asmhub.uploads import download_response

from . import selectors, services
from .calendars import group_ics, meeting_ics
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceForm,
    DocumentForm,
    InvitationForm,
    JoinRequestForm,
    MeetingEditForm,
    MeetingForm,
    PublishForm,
    ResponseForm,
    RoleForm,
    SettingsForm,
)
from .models import JoinRequest, Membership
from .rules import (
    access_action_item,
    access_document,
    access_group,
    access_meeting,
    access_membership,
)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_error(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ------------------------------------------------------------------ public pages


def group_list(request):
    page = Paginator(selectors.group_list(), 25).get_page(request.GET.get("page"))
    return render(request, "learning_groups/group_list.html", {"page_obj": page})


def group_detail(request, slug):
    """Members see the workspace; everyone else the public description and "ask to join"."""
    try:
        group, membership = access_group(user=request.user, slug=slug)
    except Http404:
        group = selectors.public_group(slug=slug)
        pending = (
            request.user.is_authenticated
            and (
                group.join_requests.filter(user=request.user, status=JoinRequest.Status.PENDING)
            ).exists()
        )
        context = {"group": group, "form": JoinRequestForm(), "pending": pending}
        return render(request, "learning_groups/group_public.html", context)
    context = {
        "group": group,
        "membership": membership,
        "workspace": selectors.workspace(group=group, membership=membership),
    }
    return render(request, "learning_groups/workspace.html", context)


@login_required
@require_POST
def join_request(request, slug):
    group = selectors.public_group(slug=slug)
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            services.join_request_create(
                group=group, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Your request has been sent to the coordinators."))
    return redirect(group)


@login_required
def my_groups(request):
    memberships, meetings, actions = selectors.my_groups(user=request.user)
    # An invitation opened before signing up, kept in the session: offer the way back to it.
    waiting = request.session.get("group_invitation")
    context = {
        "memberships": memberships,
        "meetings": meetings,
        "actions": actions,
        "waiting_invitation": reverse("learning_groups:invitation", args=[waiting])
        if waiting
        else "",
    }
    return render(request, "learning_groups/my_groups.html", context)


# ------------------------------------------------------------------ invitations


def invitation(request, key):
    """The emailed link: explains what is wrong, asks to sign in or up, or lets the person join."""
    found = selectors.invitation_from_key(key)
    problem = services.invitation_problem(invitation=found, user=request.user)
    if request.method == "POST" and problem is None and request.user.is_authenticated:
        try:
            services.invitation_accept(invitation=found, user=request.user)
        except ValidationError as error:
            problem = error.code
        else:
            request.session.pop("group_invitation", None)
            messages.success(request, _("Welcome to %(group)s.") % {"group": found.group.name})
            return redirect(found.group)
    if problem is None and not request.user.is_authenticated:
        # Kept so that we can bring the person back here after signing up.
        request.session["group_invitation"] = key
    context = {
        "invitation": found,
        "problem": problem,
        "key": key,
        "next": reverse("learning_groups:invitation", args=[key]),
    }
    return render(request, "learning_groups/invitation.html", context)


@login_required
def invitations(request, slug):
    group, membership = access_group(user=request.user, slug=slug, coordinator=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invitation_send(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": sent.email})
            return redirect("learning_groups:invitations", slug)
    pending = list(group.invitations.pending().select_related("invited_by__profile"))
    context = {"group": group, "membership": membership, "form": form, "pending": pending}
    return render(request, "learning_groups/invitations.html", context)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    group, _membership = access_group(user=request.user, slug=slug, coordinator=True)
    found = group.invitations.filter(pk=invitation_id).first()
    if found is None:
        raise Http404
    services.invitation_revoke(actor=request.user, invitation=found)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("learning_groups:invitations", slug)


# ------------------------------------------------------------------ members


@login_required
def members(request, slug):
    group, membership = access_group(user=request.user, slug=slug)
    page = Paginator(selectors.members_page(group=group), 50).get_page(request.GET.get("page"))
    requests_ = []
    if membership.is_coordinator:
        requests_ = list(
            group.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
                "user__profile"
            )
        )
    context = {
        "group": group,
        "membership": membership,
        "page_obj": page,
        "join_requests": requests_,
        "roles": Membership.Role.choices,
    }
    return render(request, "learning_groups/members.html", context)


@login_required
@require_POST
def member_role(request, slug, membership_id):
    group, _membership = access_group(user=request.user, slug=slug, coordinator=True)
    target = access_membership(group=group, membership_id=membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=target, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("learning_groups:members", slug)


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    """Coordinators remove members; any member may remove themselves (leave the group)."""
    group, membership = access_group(user=request.user, slug=slug)
    target = access_membership(group=group, membership_id=membership_id)
    # Decided before the removal: deleting the row clears target.pk.
    leaving = target.pk == membership.pk
    try:
        services.membership_remove(actor=request.user, membership=target)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("learning_groups:members", slug)
    if leaving:
        # The workspace is closed to them now: its public page, with a way to ask back in.
        messages.success(request, _("You have left %(group)s.") % {"group": group.name})
        return redirect(group)
    messages.success(request, _("The member has been removed."))
    return redirect("learning_groups:members", slug)


@login_required
@require_POST
def join_request_decide(request, slug, request_id):
    group, _membership = access_group(user=request.user, slug=slug, coordinator=True)
    found = group.join_requests.filter(pk=request_id).first()
    if found is None:
        raise Http404
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=found,
            approve=request.POST.get("decision") == "approve",
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The request has been answered."))
    return redirect("learning_groups:members", slug)


@login_required
def member_settings(request, slug):
    group, membership = access_group(user=request.user, slug=slug)
    form = SettingsForm(request.POST or None, instance=membership)
    if request.method == "POST":
        if request.POST.get("action") == "reset-calendar":
            services.membership_reset_calendar_token(actor=request.user, membership=membership)
            messages.success(
                request, _("Your calendar address has been changed; the old one no longer works.")
            )
            return redirect("learning_groups:settings", slug)
        if form.is_valid():
            services.membership_update_settings(
                actor=request.user, membership=membership, emails=form.cleaned_data["emails"]
            )
            messages.success(request, _("Your email choice has been saved."))
            return redirect("learning_groups:settings", slug)
    context = {
        "group": group,
        "membership": membership,
        "form": form,
        "calendar_url": request.build_absolute_uri(membership.calendar_url),
    }
    return render(request, "learning_groups/settings.html", context)


# ------------------------------------------------------------------ meetings


@login_required
def meeting_new(request, slug):
    group, membership = access_group(user=request.user, slug=slug, coordinator=True)
    with timezone.override(group.zone):
        form = MeetingForm(request.POST or None, group=group)
        if request.method == "POST" and form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                meeting = services.meeting_schedule(actor=request.user, group=group, data=data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The meeting has been scheduled."))
                return redirect(meeting)
        context = {"group": group, "membership": membership, "form": form}
        return render(request, "learning_groups/meeting_form.html", context)


@login_required
def meeting_edit(request, slug, meeting_id):
    group, membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id, coordinator=True
    )
    with timezone.override(group.zone):
        form = MeetingEditForm(request.POST or None, instance=meeting, group=group)
        if request.method == "POST" and form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            # The form wrote its values onto the instance; reload so the service sees changes.
            meeting = access_meeting(user=request.user, slug=slug, meeting_id=meeting_id)[2]
            try:
                services.meeting_update(actor=request.user, meeting=meeting, data=data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The meeting has been saved."))
                return redirect(meeting)
        context = {"group": group, "membership": membership, "form": form, "meeting": meeting}
        return render(request, "learning_groups/meeting_form.html", context)


@login_required
def meeting_detail(request, slug, meeting_id):
    group, membership, meeting = access_meeting(user=request.user, slug=slug, meeting_id=meeting_id)
    page = selectors.meeting_page(meeting=meeting, membership=membership)
    context = {
        "group": group,
        "membership": membership,
        "page": page,
        "meeting": meeting,
        "response_form": ResponseForm(initial={"response": page.my_response}),
    }
    return render(request, "learning_groups/meeting_detail.html", context)


@login_required
@require_POST
def meeting_respond(request, slug, meeting_id):
    _group, _membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id
    )
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_respond(
                meeting=meeting, user=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Thank you, your answer has been saved."))
    else:
        messages.error(request, _("Choose whether you will attend."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_cancel(request, slug, meeting_id):
    _group, _membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id, coordinator=True
    )
    services.meeting_cancel(actor=request.user, meeting=meeting)
    messages.success(request, _("The meeting has been cancelled; members have been told."))
    return redirect(meeting)


@login_required
def meeting_attendance(request, slug, meeting_id):
    group, membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id, coordinator=True
    )
    members = list(selectors.members_page(group=group))
    form = AttendanceForm(request.POST or None, member_ids=[m.user_id for m in members])
    if request.method == "POST" and form.is_valid():
        services.attendance_record(
            actor=request.user, meeting=meeting, attended_user_ids=form.cleaned_data["attended"]
        )
        messages.success(request, _("Attendance has been recorded."))
        return redirect(meeting)
    if form.is_bound:
        # Keep what was ticked (valid ids only) so the coordinator loses nothing.
        attended = {int(v) for v in form.data.getlist("attended") if v in form.member_choices}
    else:
        attended = set(
            meeting.attendances.filter(response="attended").values_list("user_id", flat=True)
        )
    context = {
        "group": group,
        "membership": membership,
        "meeting": meeting,
        "members": members,
        "attended": attended,
        "form": form,
    }
    return render(request, "learning_groups/meeting_attendance.html", context)


@login_required
def action_new(request, slug, meeting_id):
    group, membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id, coordinator=True
    )
    form = ActionItemForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(
                actor=request.user, group=group, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The action item has been recorded."))
            return redirect(meeting)
    context = {"group": group, "membership": membership, "meeting": meeting, "form": form}
    return render(request, "learning_groups/action_form.html", context)


@login_required
@require_POST
def action_status(request, slug, item_id):
    group, _membership, item = access_action_item(user=request.user, slug=slug, item_id=item_id)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            actor=request.user, item=item, status=form.cleaned_data["status"]
        )
        messages.success(request, _("The action item has been updated."))
    back = request.POST.get("next", "")
    if back.startswith("/groups/"):
        return redirect(back)
    return redirect(group)


# ------------------------------------------------------------------ calendars


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def meeting_calendar(request, slug, meeting_id):
    _group, _membership, meeting = access_meeting(
        user=request.user, slug=slug, meeting_id=meeting_id
    )
    return _ics(meeting_ics(meeting), f"meeting-{meeting.pk}.ics")


def group_calendar(request, slug):
    """The stable path: for a signed-in member, or with ?token=<the member's secret>."""
    token = request.GET.get("token")
    if token:
        membership = selectors.membership_by_calendar_token(slug=slug, token=token)
        group = membership.group
    else:
        group, _membership = access_group(user=request.user, slug=slug)
    meetings = selectors.meetings_for_calendar(group=group)
    return _ics(group_ics(group=group, meetings=meetings), f"{group.slug}.ics")


def calendar_feed(request, slug, token):
    """The member's secret calendar address, for calendar apps (which cannot sign in)."""
    membership = selectors.membership_by_calendar_token(slug=slug, token=token)
    group = membership.group
    meetings = selectors.meetings_for_calendar(group=group)
    return _ics(group_ics(group=group, meetings=meetings), f"{group.slug}.ics")


# ------------------------------------------------------------------ documents


@login_required
def documents(request, slug):
    group, membership = access_group(user=request.user, slug=slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                group=group,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The document has been uploaded."))
            return redirect("learning_groups:documents", slug)
    page = Paginator(selectors.documents_page(group=group), 25).get_page(request.GET.get("page"))
    context = {"group": group, "membership": membership, "form": form, "page_obj": page}
    return render(request, "learning_groups/documents.html", context)


@login_required
def document_download(request, slug, document_id):
    _group, _membership, document = access_document(
        user=request.user, slug=slug, document_id=document_id
    )
    return download_response(
        field_file=document.file,
        filename=document.download_name,
        content_type=document.content_type,
    )


@login_required
@require_POST
def document_delete(request, slug, document_id):
    _group, _membership, document = access_document(
        user=request.user, slug=slug, document_id=document_id
    )
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("The document has been deleted."))
    return redirect("learning_groups:documents", slug)


@login_required
def document_publish(request, slug, document_id):
    group, membership, document = access_document(
        user=request.user, slug=slug, document_id=document_id, coordinator=True
    )
    form = PublishForm(request.POST or None, initial={"title": document.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.document_publish(actor=request.user, document=document, data=form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Sent to the library with the group credited; curators will review it."),
            )
            return redirect("learning_groups:documents", slug)
    context = {"group": group, "membership": membership, "form": form, "document": document}
    return render(request, "learning_groups/document_publish.html", context)
