"""三会一课 reminders: a branch still short of a required meeting in the month or quarter under
way hears of it once, a few days before that month or quarter ends (ReminderSettings: 7 days
for a month, 15 for a quarter by default), while there is still time to hold it.

The branch's secretary is told; a branch without a secretary who can log in tells its
committee members. A reminder's subject names the branch, the requirement, the Party group
(0 for the whole branch) and the slot's months, so the unique (recipient, kind, subject,
quarter) key keeps it to one per person however often the daily run fires; a slot already
met, or ending later than the lead time, gives nothing.

Set-based: a slice of the run finds the recipients among its members in one query, their
branches in one, and counts every one of those branches with one ``compliance()`` call (its
fixed handful of queries), whatever the number of branches.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from members.models import Branch, Member
from partybuild.lib.quarters import Quarter
from study.models import MeetingRule
from study.selectors.compliance import Cell, Line, compliance

from .models import Notification, ReminderSettings
from .services import Job, builder

Kind = Notification.Kind
SECRETARY, COMMITTEE = Member.CommitteeRole.SECRETARY, Member.CommitteeRole.COMMITTEE


def compliance_url(*, branch_id: int, year: int) -> str:
    """The branch's 三会一课 page for the year."""
    return f"{reverse('study:compliance_branch')}?{urlencode({'branch': branch_id, 'year': year})}"


def _recipients(lo: int, hi: int) -> dict[int, list[int]]:
    """branch id → the logins to tell, among members with pk in [lo, hi): the secretary, or,
    where the branch has no secretary who can log in, its committee members."""
    can_log_in = Q(is_active=True, user__isnull=False, user__is_active=True)
    secretary = Member.objects.filter(can_log_in, branch_id=OuterRef("branch_id"), committee_role=SECRETARY)
    rows = (
        Member.objects.filter(can_log_in, pk__gte=lo, pk__lt=hi)
        .filter(Q(committee_role=SECRETARY) | Q(committee_role=COMMITTEE) & ~Exists(secretary))
        .values_list("branch_id", "user_id")
    )
    found: dict[int, list[int]] = defaultdict(list)
    for branch_id, user_id in rows:
        found[branch_id].append(user_id)
    return found


def _slot_label(rule: MeetingRule, cell: Cell) -> str:
    if rule.every == MeetingRule.Every.MONTH:
        return date_format(cell.slot.starts, "YEAR_MONTH_FORMAT")
    return Quarter.of(cell.slot.starts).label()


def _due_soon(line: Line, today: datetime.date, config: ReminderSettings) -> Cell | None:
    """The slot under way, if it is short and ends within the lead time."""
    cell = line.open_short
    if cell is None or (cell.slot.ends - today).days > config.meetings_lead_days(line.rule.every):
        return None
    return cell


def _reminder(branch: Branch, line: Line, cell: Cell) -> dict[str, str]:
    """The subject (what makes it once), title and body of one line's reminder."""
    meeting = str(line.rule.short_label)
    if line.group is not None:
        meeting = f"{meeting} · {line.group.name}"
    slot = _slot_label(line.rule, cell)
    group_id = line.group.pk if line.group is not None else 0
    title = _("%(meeting)s still short for %(slot)s: %(held)d of %(required)d held") % {
        "meeting": meeting,
        "slot": slot,
        "held": cell.held,
        "required": cell.required,
    }
    body = _(
        "Hold it by %(date)s, the last day of %(slot)s, or %(branch)s will show as behind on its meeting requirements."
    ) % {"date": date_format(cell.slot.ends, "DATE_FORMAT"), "slot": slot, "branch": branch.name}
    return {
        "subject": f"meetings:{branch.pk}:{line.rule.kind}:{group_id}:{cell.slot.first_month}-{cell.slot.last_month}",
        "title": title,
        "body": body,
    }


@builder(Kind.MEETINGS_BEHIND)
def meetings_behind(job: Job, today: datetime.date, lo: int, hi: int) -> list[Notification]:
    recipients = _recipients(lo, hi)
    if not recipients:
        return []
    config = ReminderSettings.get()
    branches = Branch.objects.filter(pk__in=list(recipients))
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        for entry in compliance(year=today.year, branches=branches, today=today):
            url = compliance_url(branch_id=entry.branch.pk, year=today.year)
            for line in entry.lines:
                cell = _due_soon(line, today, config)
                if cell is None:
                    continue
                texts = _reminder(entry.branch, line, cell)
                notes.extend(
                    Notification(recipient_id=user, kind=job.kind, quarter=job.quarter, url=url, **texts)
                    for user in recipients[entry.branch.pk]
                )
    return notes
