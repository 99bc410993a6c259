"""Building the group's emails: plain text and HTML parts from templates/learning_groups/email/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation


def build_message(*, template: str, context: dict, to: str, attachments=()):
    """One email to one address (nobody sees who else got it)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"learning_groups/email/{template}_subject.txt", context)
        text = render_to_string(f"learning_groups/email/{template}.txt", context)
        html = render_to_string(f"learning_groups/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_all(messages) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)
