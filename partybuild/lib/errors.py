"""The error every app's services raise for a move that is not allowed now."""

from __future__ import annotations


class DomainError(Exception):
    """A move that is not allowed now; ``message`` says why, for the user (a subclass
    may give one message for every case as a class attribute)."""

    message = ""

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(self.message)
