"""The profile form its owner fills in, and the signup form."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "display_name",
            "organisation",
            "country",
            "stakeholder_type",
            "expertise",
            "languages",
            "preferred_language",
        ]
        widgets = {
            "expertise": forms.Textarea(attrs={"rows": 4}),
            "languages": forms.SelectMultiple(attrs={"size": 6}),
        }

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Enter at least 2 characters for your display name."))
        if "@" in name:
            raise forms.ValidationError(
                _("Your display name is shown to everyone: please don't use an email address.")
            )
        return name


class SignupForm(AllauthSignupForm):
    """allauth's signup, answering an existing address as slowly as a new one.

    For an address that already has an account allauth creates nothing and emails the owner
    (enumeration prevention), so no password is hashed: that path answered ten times faster,
    which told anyone whether an address has an account. Hash the password there too.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
