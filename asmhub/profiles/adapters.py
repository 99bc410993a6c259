"""allauth adapter: the profile at signup, and allauth's emails through the hub's mail queue.

allauth sends its emails (address confirmation, password reset, "you already have an
account") inside the request by default: a down SMTP server then answers 500 after the account
was created. Here they are rendered in the recipient's language, with links built from
`SITE_URL`, and queued for the worker like every other email of the hub.
"""

from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils import translation

from asmhub.emails import (
    absolute_url,
    current_language,
    queue_message,
    recipient_language,
    site_url,
)

from .services import profile_get_or_create

SITE_NAME = "ASM Hub"
# Links allauth builds from the request's host (no adapter hook); emails use SITE_URL instead.
_LINKS = {
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "password_reset_url": "account_reset_password",
    },
    "account/email/unknown_account": {"signup_url": "account_signup"},
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # The page language they signed up in is the language the hub writes to them in.
            profile_get_or_create(user=user, language=current_language())
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the recipient's language now; the worker sends it after commit."""
        user = context.get("user") or self._account_for(email)
        language = recipient_language(user) if user is not None else current_language()
        ctx = {
            "email": email,
            "current_site": SimpleNamespace(
                name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc
            ),
            **context,
        }
        for key, viewname in _LINKS.get(template_prefix, {}).items():
            ctx[key] = absolute_url(viewname)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        queue_message(message)

    def get_client_ip(self, request) -> str:
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: the request came around them
            # (a client-made header). Count it against the connection's own address, not a 500.
            ip = request.META.get("REMOTE_ADDR")
            if not ip:
                raise PermissionDenied("Unable to determine client IP address") from None
            return ip

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url("account_confirm_email", emailconfirmation.key)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    @staticmethod
    def _account_for(email: str):
        return (
            get_user_model().objects.filter(email__iexact=email).select_related("profile").first()
        )
