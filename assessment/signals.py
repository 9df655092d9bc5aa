"""What happens to a member's cards and results, for whoever wants to hear of it.

Sent after the change commits (partybuild.lib.signals.send_on_commit); the reminders
app turns them into notifications.
"""

from django.dispatch import Signal

# sender=Card; card= (moved: its version names the move), and comment= for a return
card_returned = Signal()
card_approved = Signal()
# sender=Period; period=
results_published = Signal()
