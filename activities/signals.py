"""What happens to a member's suggestion, for whoever wants to hear of it.

Sent after the change commits (partybuild.lib.signals.send_on_commit); the reminders
app turns them into notifications.
"""

from django.dispatch import Signal

# sender=Suggestion; suggestion=, entry= (the SuggestionEntry the move wrote)
suggestion_answered = Signal()
suggestion_closed = Signal()
