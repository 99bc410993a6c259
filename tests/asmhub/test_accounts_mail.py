"""allauth's side of the hardening: its emails queued, in the right language, with public links;
no account-existence oracle at signup; per-client login limits behind a proxy."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from asmhub.profiles.models import Profile, User
from tests.factories import PASSWORD, CuratorFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
RESET = reverse("account_reset_password")
LOGIN = reverse("account_login")


class CountingHasher(MD5PasswordHasher):
    """Counts how many passwords are hashed (and is fast)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_emails() -> int:
    return DBTaskResult.objects.filter(task_path="asmhub.emails.send_email").count()


def _signup(client, email, **extra):
    return client.post(
        SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD}, **extra
    )


# ---------------------------------------------------------------- a down SMTP server


def test_signup_with_smtp_down_answers_and_creates_the_account(
    client, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "new.partner@example.org")
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.partner@example.org")
    assert Profile.objects.filter(user=user).exists()
    assert user.emailaddress_set.filter(email="new.partner@example.org").exists()


def test_password_reset_with_smtp_down_answers(
    client, smtp_down, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": user.email})
        unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert unknown.status_code == 302


def test_allauth_emails_wait_in_the_queue(
    client, database_tasks, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "new.partner@example.org")
        client.logout()
        client.post(RESET, {"email": "new.partner@example.org"})
    assert _queued_emails() == 2
    assert not mail.outbox


# ---------------------------------------------------------------- language and links


def test_signup_remembers_the_page_language_and_writes_in_it(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "nueva@example.org", HTTP_ACCEPT_LANGUAGE="es")
    user = User.objects.get(email="nueva@example.org")
    assert user.profile.preferred_language == "es"
    [message] = mail.outbox
    assert message.subject.startswith("[ASM Hub] ")
    assert "Confirm" not in message.subject, message.subject
    assert "https://hub.example.org/accounts/confirm-email/" in message.body
    assert "testserver" not in message.body


def test_password_reset_is_written_in_the_accounts_language(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    user = ProfileFactory(preferred_language="fr").user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "Password Reset" not in message.subject, message.subject
    assert "https://hub.example.org/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.body


# ---------------------------------------------------------------- no account-existence oracle


def test_signup_does_the_same_work_for_a_new_and_an_existing_address(
    client, database_tasks, django_capture_on_commit_callbacks
):
    """Both answers hash one password and queue one email, so they take comparable time."""
    existing = UserFactory(email="taken@example.org")
    CountingHasher.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        new = _signup(client, "fresh@example.org")
    new_work = (CountingHasher.calls, _queued_emails())
    client.logout()
    CountingHasher.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        taken = _signup(client, existing.email)
    taken_work = (CountingHasher.calls, _queued_emails() - new_work[1])
    assert new_work == taken_work == (1, 1)
    assert (new.status_code, new.url) == (taken.status_code, taken.url)
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD) is True, "the existing password is unchanged"


# ---------------------------------------------------------------- login limits behind a proxy


def _failed_login(client, client_ip, email):
    return client.post(
        LOGIN,
        {"login": email, "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def test_failed_logins_behind_the_proxy_do_not_lock_out_other_clients(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    curator = CuratorFactory()
    for n in range(10):
        _failed_login(client, f"203.0.113.{n + 1}", f"random{n}@example.org")
    response = client.post(
        LOGIN,
        {"login": curator.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(curator.pk)


def test_a_client_cannot_escape_its_limit_by_forging_the_header(client, settings):
    """The proxy appends the real address; what the client wrote before it is not believed."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for n in range(10):
        _failed_login(client, f"192.0.2.{n + 1}, 203.0.113.9", f"random{n}@example.org")
    response = client.post(
        LOGIN,
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session, "the forging client is still limited"


def test_the_account_exists_email_links_to_the_public_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    existing = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, existing.email)
    [message] = mail.outbox
    assert message.to == [existing.email]
    assert "https://hub.example.org/accounts/password/reset/" in message.body
    assert "testserver" not in message.body


def test_a_short_forwarded_header_is_not_a_server_error(client, settings):
    """Two trusted proxies but one address in the header: not through our proxies, no 500."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = _failed_login(client, "203.0.113.5", "someone@example.org")
    assert response.status_code == 200
