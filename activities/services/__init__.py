"""Every write of the activities app, one module per subject.

Each service checks who is acting and the current state, locks the row it
changes, saves, and records who did it.
"""


class ActivityError(Exception):
    """A move that is not allowed now; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ConcurrentEditError(ActivityError):
    """The form was read at an older version than the row now has."""
