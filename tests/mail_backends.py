"""Email backends for tests: an SMTP server that is down, in the two ways it shows."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingEmailBackend(BaseEmailBackend):
    """Nothing listens on the SMTP port (what the issue reproduced)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class DisconnectingEmailBackend(BaseEmailBackend):
    """The server answers, then drops the connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
