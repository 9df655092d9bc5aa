"""Every write of the assessment app, one module per subject."""

from partybuild.lib.errors import DomainError


class AssessmentError(DomainError):
    """A move that is not allowed now; the message says why, for the user."""
