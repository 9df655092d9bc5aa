"""Every write of the study app, one module per subject.

Each service checks who is acting and the current state, locks the row it
changes, saves, and records who did it.
"""

from partybuild.lib.errors import DomainError


class StudyError(DomainError):
    """A move that is not allowed now; the message says why, for the user."""
