"""A member's own profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import profile_get_or_create, profile_update


@login_required
def profile_edit(request):
    profile = profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_update(actor=request.user, profile=profile, data=dict(form.cleaned_data))
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "profiles/profile_form.html", {"form": form, "profile": profile})
