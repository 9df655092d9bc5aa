"""What happens to a member's study work, for whoever wants to hear of it.

Sent after the change commits (partybuild.lib.signals.send_on_commit); the reminders
app turns them into notifications. Each names the rows concerned, never a request.
"""

from django.dispatch import Signal

# sender=QuarterlyReport; report=, transition= (the ReportTransition the move wrote)
report_returned = Signal()
report_approved = Signal()
# sender=QuarterlyReport; report=, transition=, session= (the re-study session assigned)
restudy_assigned = Signal()
# sender=Talk; talks= (a queryset of the talks just opened: one, or a whole publication's)
talks_opened = Signal()
