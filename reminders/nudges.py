"""The branch reminds, from the report review board, the members who have not submitted.

Not submitted: no report for the quarter, a draft, or a returned report not yet handed in
again (the board's "not started", "draft" and "returned"). Each member is reminded at
most once a day: the notification's subject is the day, and the unique (recipient, kind,
subject, quarter) key keeps a second press of the button, or a second committee member
pressing it, from reminding anyone twice. One INSERT … SELECT, however large the branch.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import User
from members.roles import get_roles
from partybuild.lib.errors import DomainError
from partybuild.lib.quarters import Quarter
from study.selectors.reports import not_submitted

from .events import EMAIL_INLINE_MAX, email_soon
from .models import Notification
from .services import select_reminders, write_selected


class ReminderError(DomainError):
    pass


def remind_unsubmitted(*, actor: User, branch_id: int, quarter: Quarter, today: datetime.date | None = None) -> int:
    """Remind the branch's members who have not submitted the quarter's report; how many
    were reminded now (those reminded already today, or without a login, are not)."""
    roles = get_roles(actor)
    if not roles.is_admin and roles.committee_branch_id != branch_id:
        raise ReminderError(_("Only the secretary or a committee member of the branch can remind its members."))
    today = today or timezone.localdate()
    if quarter > Quarter.of(today):
        raise ReminderError(_("The report for %(quarter)s is not due yet.") % {"quarter": quarter.label()})
    subject = f"nudge:{today.isoformat()}"
    members = not_submitted(branch_id=branch_id, quarter=quarter).filter(user__isnull=False, user__is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        selected = select_reminders(
            members,
            recipient="user_id",
            kind=Notification.Kind.REPORT_NUDGE,
            subject=subject,
            quarter=quarter.code,
            title=_("Your branch reminds you to submit your report for %(quarter)s") % {"quarter": quarter.label()},
            body=_("Write your Party-spirit report and hand it in to your Party group."),
            url=reverse("study:report_mine", args=[quarter.code]),
        )
    reminded = write_selected(selected)
    if reminded:
        transaction.on_commit(lambda: _email(subject, quarter, reminded))
    return reminded


def _email(subject: str, quarter: Quarter, reminded: int) -> None:
    if reminded > EMAIL_INLINE_MAX:
        email_soon(None)
        return
    email_soon(
        Notification.objects.filter(
            kind=Notification.Kind.REPORT_NUDGE, subject=subject, quarter=quarter.code, emailed_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
