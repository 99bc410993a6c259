"""The group's emails: plain text and HTML parts from templates/learning_groups/email/.

Built by the group's background tasks in each recipient's language and handed to the kernel's
mail queue one message per recipient, so that a failed send is retried for that person alone.
"""

from asmhub.emails import queue_message, recipient_language, render_email


def build_message(*, template: str, context: dict, to: str, user=None, attachments=()):
    """One email to one address (nobody sees who else got it), in `user`'s language."""
    return render_email(
        template=f"learning_groups/email/{template}",
        context=context,
        to=to,
        language=recipient_language(user),
        attachments=attachments,
    )


def send_all(messages) -> int:
    """Queue each message for the mail worker; returns how many were queued."""
    for message in messages:
        queue_message(message)
    return len(messages)
