"""The profile form its owner fills in."""

from django import forms
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
