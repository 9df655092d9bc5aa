"""Every write of the assessment app, one module per subject."""


class AssessmentError(Exception):
    """A move that is not allowed now; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
