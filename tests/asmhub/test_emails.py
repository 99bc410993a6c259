"""The kernel's mail queue: JSON-safe messages, sent by a task that retries a down server."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from asmhub.emails import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    queue_message,
    render_email,
    send_email,
    serialize,
)

pytestmark = pytest.mark.django_db


class RefusedRecipientBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _message():
    message = render_email(
        template="resources/email/outcome",
        context={"resource": {"title": "Clean gold"}, "outcome": "published"},
        to="partner@example.org",
        language="fr",
        attachments=[("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    return serialize(message)


def test_a_queued_message_is_sent_as_rendered():
    data = _message()
    assert send_email.call(data) == "sent"
    [sent] = mail.outbox
    assert sent.to == ["partner@example.org"]
    assert sent.subject == "Publié sur ASM Hub : Clean gold"
    assert sent.alternatives[0][1] == "text/html"
    [(filename, content, mimetype)] = sent.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    assert content == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"  # text parts come back as text


def test_a_down_server_queues_the_message_again_later(database_tasks, smtp_down):
    data = _message()
    before = timezone.now()
    assert send_email.call(data) == "retry"
    [retry] = DBTaskResult.objects.filter(task_path="asmhub.emails.send_email")
    assert retry.args_kwargs["args"] == [data, 2]
    assert retry.run_after >= before + timedelta(seconds=RETRY_DELAYS[0])
    assert not mail.outbox


def test_retries_are_bounded(database_tasks, smtp_down):
    with pytest.raises((OSError, smtplib.SMTPException)):
        send_email.call(_message(), MAX_ATTEMPTS)
    assert not DBTaskResult.objects.exists()


def test_a_refused_address_is_not_retried(database_tasks, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusedRecipientBackend"
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_email.call(_message())
    assert not DBTaskResult.objects.exists()


def test_queueing_waits_for_the_commit(database_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_message(
            render_email(
                template="resources/email/outcome",
                context={"resource": {"title": "T"}, "outcome": "rejected"},
                to="a@example.org",
                language="en",
            )
        )
    assert not DBTaskResult.objects.exists(), "nothing is queued before the commit"
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.filter(task_path="asmhub.emails.send_email").count() == 1
