"""Reminders become notifications: one row per recipient, kind, subject and quarter."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from study.models import MeetingRule


class ReminderSettings(models.Model):
    """When reminders go out; one row, edited in the admin."""

    report_deadline_days = models.PositiveSmallIntegerField(
        _("report deadline (days after the quarter ends)"),
        default=10,
        help_text=_("The quarterly report and the 5+X self-check are due this many days after the quarter's last day."),
    )
    days_before = models.PositiveSmallIntegerField(_("first reminder (days before the deadline)"), default=7)
    overdue_window_days = models.PositiveSmallIntegerField(
        _("overdue reminders sent up to (days after the deadline)"), default=60
    )
    # 三会一课: a branch still short of a meeting hears of it this many days before the month
    # or quarter ends (reminders.compliance).
    meetings_days_before_month_end = models.PositiveSmallIntegerField(
        _("meeting reminder (days before a month ends)"),
        default=7,
        validators=[MaxValueValidator(27)],
        help_text=_(
            "A branch that has not yet held a monthly meeting is reminded this many days before the month ends."
        ),
    )
    meetings_days_before_quarter_end = models.PositiveSmallIntegerField(
        _("meeting reminder (days before a quarter ends)"),
        default=15,
        validators=[MaxValueValidator(89)],
        help_text=_(
            "A branch that has not yet held a quarterly meeting is reminded this many days before the quarter ends."
        ),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(_("Reminder settings"))

    @classmethod
    def get(cls) -> "ReminderSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def meetings_lead_days(self, every: str) -> int:
        """How many days before a slot of ``every`` ("month" or "quarter") ends a branch
        still short of its meetings is reminded."""
        if every == MeetingRule.Every.MONTH:
            return self.meetings_days_before_month_end
        return self.meetings_days_before_quarter_end


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("Quarterly report due")
        REPORT_OVERDUE = "report_overdue", _("Quarterly report overdue")
        SELFCHECK_DUE = "selfcheck_due", _("5+X self-check due")
        SELFCHECK_OVERDUE = "selfcheck_overdue", _("5+X self-check overdue")
        GROUP_WAITING = "group_waiting", _("Reports waiting for the group")
        BRANCH_WAITING = "branch_waiting", _("Reports waiting for the branch")
        TALK_OPEN = "talk_open", _("Talk to record")
        TALK_ESCALATED = "talk_escalated", _("Overdue talk")
        REPORT_NUDGE = "report_nudge", _("Reminder from the branch to submit the report")
        # What happened to a person's work, told the moment it happens (reminders.events).
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_APPROVED = "report_approved", _("Report approved")
        RESTUDY_ASSIGNED = "restudy_assigned", _("Assigned to re-study")
        CARD_RETURNED = "card_returned", _("Card returned")
        CARD_APPROVED = "card_approved", _("Card approved")
        TALK_OPENED = "talk_opened", _("Talk opened")
        SUGGESTION_ANSWERED = "suggestion_answered", _("Suggestion answered")
        SUGGESTION_CLOSED = "suggestion_closed", _("Suggestion closed")
        RESULTS_PUBLISHED = "results_published", _("Results published")
        OBJECTION_FILED = "objection_filed", _("Objection to rule on")
        OBJECTION_RULED = "objection_ruled", _("Objection ruled")
        RESULTS_FINAL = "results_final", _("Results final")
        # 三会一课: the branch has yet to hold a required meeting before its month or quarter ends.
        MEETINGS_BEHIND = "meetings_behind", _("Meetings still to hold")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=64, verbose_name=_("what it is about"))
    quarter = models.CharField(_("quarter"), max_length=6)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True, verbose_name=_("link"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The guarantee behind "at most once": however often the schedule fires, a task
            # is retried or two workers run at once, the database keeps one row.
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "quarter"], name="notification_once_per_subject"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["kind", "quarter", "subject"], name="notification_kind_idx"),
            models.Index(fields=["emailed_at"], name="notification_email_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title
