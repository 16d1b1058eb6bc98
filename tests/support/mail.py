"""An e-mail backend whose server is always down: tests of retries and idempotence."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("serveur de messagerie injoignable (test)")
