"""An e-mail backend whose server is down (a real backend class, not a mock)."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("the mail server does not answer")
