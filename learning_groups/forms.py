"""Forms of the group pages; times are entered in the group's time zone (the view activates it)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from resources.models import Resource

from .models import ActionItem, Attendance, Meeting, Membership

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """Who attended: ticked members of the group (anything else is refused, never parsed)."""

    attended = forms.TypedMultipleChoiceField(
        label=_("Who attended?"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": _("Tick only people from the group's member list."),
        },
    )

    def __init__(self, *args, member_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member_choices = {str(pk) for pk in member_ids}
        self.fields["attended"].choices = [(pk, pk) for pk in sorted(self.member_choices)]


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A few words to the coordinators (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MeetingForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("online link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "online_link", "agenda"]
        widgets = {
            "starts_at": _LOCAL,
            "ends_at": _LOCAL,
            "agenda": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        zone_note = _("In the group's time zone (%(zone)s).") % {"zone": group.time_zone}
        self.fields["starts_at"].help_text = zone_note
        self.fields["ends_at"].help_text = zone_note
        self.fields["agenda"].help_text = _(
            "Markdown: # headings, - lists, **bold**, [links](https://…)."
        )


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "status", "minutes"]
        widgets = {**MeetingForm.Meta.widgets, "minutes": forms.Textarea(attrs={"rows": 10})}


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Attendance.Response.WILL_ATTEND, _("I will attend")),
            (Attendance.Response.APOLOGIES, _("Apologies, I cannot attend")),
        ],
        widget=forms.RadioSelect,
    )


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["what", "owner", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = (
            get_user_model()
            .objects.filter(group_memberships__group=group)
            .select_related("profile")
            .order_by("email")
        )
        owner.label_from_instance = lambda user: user.public_name


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Title in the library"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    resource_type = forms.ChoiceField(
        label=_("Type"), choices=Resource.Type.choices, initial=Resource.Type.REPORT
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["emails"]
        widgets = {"emails": forms.RadioSelect}
        labels = {"emails": _("Emails from this group")}
        help_texts = {
            "emails": _("Invitations and your own action items always come by email."),
        }
