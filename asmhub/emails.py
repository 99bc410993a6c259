"""Every email the hub sends: rendered in the recipient's language, sent by a background task.

Nothing here talks to the SMTP server inside a request. A service (or allauth's adapter)
renders the message and queues it with `transaction.on_commit`; the `send_email` task sends
it from the worker. When the server is down the task queues itself again later (bounded
retries with growing delays), so a down SMTP server delays mail and never fails a request.
"""

import base64
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt: 1 min, 5 min, 30 min, 2 h, 6 h (about 9 hours in all).
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


# ---------------------------------------------------------------- addresses and languages


def site_url(path: str) -> str:
    """The public address of a path: emails and calendars are read outside any request."""
    return settings.SITE_URL + path


def absolute_url(viewname: str, *args, **kwargs) -> str:
    return site_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def recipient_language(user=None) -> str:
    """The language to write to this person in: their choice, else the hub's default."""
    profile = getattr(user, "profile", None) if user is not None else None
    language = getattr(profile, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def current_language() -> str:
    """The language of the request being answered (for people who have no account yet)."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# ---------------------------------------------------------------- building and queueing


def render_email(
    *, template: str, context: dict, to: str, language: str, attachments=()
) -> EmailMultiAlternatives:
    """One email to one address from `<template>_subject.txt`, `<template>.txt`, `.html`."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def serialize(message: EmailMessage) -> dict:
    """The message as JSON-safe data, so that it can wait in the task queue."""
    alternatives = [
        [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
    ]
    attachments = []
    for filename, content, mimetype in message.attachments:
        data = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(data).decode("ascii"), mimetype])
    return {
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
        "attachments": attachments,
    }


def deserialize(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email") or None,
        to=data.get("to") or [],
        cc=data.get("cc") or [],
        bcc=data.get("bcc") or [],
        reply_to=data.get("reply_to") or [],
        headers=data.get("headers") or {},
    )
    message.content_subtype = data.get("content_subtype") or "plain"
    for content, mimetype in data.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments") or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def queue_message(message: EmailMessage) -> None:
    """Send `message` from the worker once the current transaction commits (now if none)."""
    data = serialize(message)
    transaction.on_commit(lambda: send_email.enqueue(data))


def queue_email(*, template: str, context: dict, to: str, language: str, attachments=()) -> None:
    """Render now (in `language`), send from the worker after commit."""
    queue_message(
        render_email(
            template=template,
            context=context,
            to=to,
            language=language,
            attachments=attachments,
        )
    )


# ---------------------------------------------------------------- the task


def _is_permanent(error: Exception) -> bool:
    """Refused addresses will be refused again: retrying only fills the queue."""
    return isinstance(error, smtplib.SMTPRecipientsRefused)


@task()
def send_email(message: dict, attempt: int = 1) -> str:
    """Send one queued message; on a connection or SMTP failure, try again later."""
    try:
        deserialize(message).send()
    except (smtplib.SMTPException, OSError) as error:
        backend = send_email.get_backend()
        if _is_permanent(error) or attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            logger.exception(
                "Email %r to %s not sent (attempt %d, giving up).",
                message.get("subject"),
                ", ".join(message.get("to") or []),
                attempt,
            )
            raise
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning(
            "Email %r not sent (attempt %d: %s); trying again in %d s.",
            message.get("subject"),
            attempt,
            error,
            delay,
        )
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message, attempt + 1
        )
        return "retry"
    return "sent"
