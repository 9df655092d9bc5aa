"""Announcing a change once it is committed.

An app says what happened to a person's work by sending a signal of its own (the
reminders app listens and turns it into notifications); the sender never imports the
listener, so the imports keep running one way. The signal goes out after the
transaction commits, so nobody hears of a change that was rolled back, and a listener
that fails is logged, never turned into an error for the person who made the change.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("%s failed on %s", receiver, sender, exc_info=result)

    transaction.on_commit(send)
