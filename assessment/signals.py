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
# sender=Objection; objection= (filed: the branch committee hears of it; ruled: the member)
objection_filed = Signal()
objection_ruled = Signal()
# sender=Period; period= (the publicity window has ended: the results are final)
results_finalized = Signal()
