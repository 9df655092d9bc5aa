"""Every write of the activities app, one module per subject.

Each service checks who is acting and the current state, locks the row it
changes, saves, and records who did it.
"""

from partybuild.lib.errors import DomainError


class ActivityError(DomainError):
    """A move that is not allowed now; the message says why, for the user."""


class ConcurrentEditError(ActivityError):
    """The form was read at an older version than the row now has."""
