"""allauth adapter: creates the member's profile as part of signing up."""

from allauth.account.adapter import DefaultAccountAdapter

from .services import profile_get_or_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_get_or_create(user=user)
        return user
