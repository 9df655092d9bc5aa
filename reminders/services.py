"""Who is due a reminder on a given day, and delivering each reminder exactly once.

A run is planned as jobs (kind, quarter, stage); each job's recipients are found
with set-based queries. The reminders that go to every member (report and
self-check) never come into Python: one ``INSERT … SELECT … ON CONFLICT DO
NOTHING`` per slice of members writes them. The others (a few per branch or per
talk) are built as rows and written with ``bulk_create(ignore_conflicts=True)``.
Both lean on the unique (recipient, kind, subject, quarter) constraint: that, not
luck, keeps a reminder to one row however often the schedule fires, a task is
retried, or two workers run the same batch. E-mails are claimed one by one with
a conditional UPDATE, so each goes out once too.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import CharField, Count, Exists, Expression, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Card, CardKind, SelfCheck
from assessment.models.cards import QUARTER_CHECKPOINTS
from members.models import Member, PartyGroup, User
from partybuild.lib.bulk_sql import insert_selected
from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, Talk

from .models import Notification, ReminderSettings

logger = logging.getLogger(__name__)
Kind = Notification.Kind
SUBMITTED = [QuarterlyReport.Status.WITH_GROUP, QuarterlyReport.Status.WITH_BRANCH, QuarterlyReport.Status.APPROVED]
BATCH = 1000


@dataclass(frozen=True)
class Job:
    """One kind of reminder for one quarter; ``stage`` is "due" or "overdue" for deadlines."""

    kind: str
    quarter: str
    stage: str = ""


def deadline(quarter: Quarter, config: ReminderSettings) -> datetime.date:
    return quarter.last_day + datetime.timedelta(days=config.report_deadline_days)


def plan(*, today: datetime.date, config: ReminderSettings | None = None) -> list[Job]:
    """The jobs due on ``today``. Deadline reminders fire on every day of their window
    (the unique key keeps them to one), so a day the schedule missed loses nothing."""
    config = config or ReminderSettings.get()
    jobs: list[Job] = []
    current = Quarter.of(today)
    for quarter in (current.previous(), current):
        due = deadline(quarter, config)
        if due - datetime.timedelta(days=config.days_before) <= today <= due:
            stage = "due"
        elif due < today <= due + datetime.timedelta(days=config.overdue_window_days):
            stage = "overdue"
        else:
            continue
        jobs.append(Job(Kind.REPORT_DUE if stage == "due" else Kind.REPORT_OVERDUE, quarter.code, stage))
        jobs.append(Job(Kind.SELFCHECK_DUE if stage == "due" else Kind.SELFCHECK_OVERDUE, quarter.code, stage))
        jobs.append(Job(Kind.GROUP_WAITING, quarter.code, stage))
        jobs.append(Job(Kind.BRANCH_WAITING, quarter.code, stage))
    jobs.append(Job(Kind.TALK_OPEN, current.code))
    jobs.append(Job(Kind.TALK_ESCALATED, current.code))
    if meetings_due_soon(today, config):
        jobs.append(Job(Kind.MEETINGS_BEHIND, current.code))
    return jobs


def meetings_due_soon(today: datetime.date, config: ReminderSettings) -> bool:
    """Whether the month or the quarter under way ends within its 三会一课 reminder's lead
    time (reminders.compliance); on other days the run does not look at the meetings."""
    month_end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return (month_end - today).days <= config.meetings_days_before_month_end or (
        Quarter.of(today).last_day - today
    ).days <= config.meetings_days_before_quarter_end


# The columns an INSERT … SELECT fills, in order; the SELECT names them with this prefix
# so that they cannot clash with the queried model's own fields.
INSERT_COLUMNS = ("recipient_id", "kind", "subject", "quarter", "title", "body", "url", "created_at")
ALIAS = "reminder_"


@dataclass(frozen=True)
class Selected:
    """A job's reminders as one SELECT (one row per reminder), written by the database."""

    queryset: QuerySet


def select_reminders(queryset: QuerySet, *, recipient: str | Expression, **values) -> Selected:
    """``queryset`` annotated with every column of a reminder: the recipient's user id from
    the field path ``recipient`` (or an expression), the other columns constant or, where
    a row's own values go in (a name, an id), expressions (see ``text_with``)."""
    values["created_at"] = timezone.now()
    annotations = {f"{ALIAS}recipient_id": F(recipient) if isinstance(recipient, str) else recipient}
    for column in INSERT_COLUMNS[1:]:
        field = Notification._meta.get_field(column)
        value = values[column]
        annotations[f"{ALIAS}{column}"] = (
            value if isinstance(value, Expression) else Value(value, output_field=field.__class__())
        )
    names = list(annotations)
    return Selected(queryset.order_by().annotate(**annotations).values(*names))


def text_with(template: str, **fields: str) -> Expression:
    """A translated text whose ``%(name)s`` placeholders take each row's value of the field
    path given for the name, as one SQL expression: ``text_with(_("Talk with %(name)s"),
    name="member__name")``."""
    parts = re.split(r"%\((\w+)\)s", template)
    pieces = [
        Cast(F(fields[part]), CharField()) if odd else Value(part)
        for odd, part in ((i % 2 == 1, part) for i, part in enumerate(parts))
        if odd or part
    ]
    return pieces[0] if len(pieces) == 1 else Concat(*pieces, output_field=CharField())


def write_selected(selected: Selected) -> int:
    """Write the reminders a SELECT gives, each at most once (the unique key); how many are new."""
    with transaction.atomic():
        return insert_selected(Notification._meta.db_table, INSERT_COLUMNS, selected.queryset)


def _count_selected_new(selected: Selected) -> int:
    exists = Notification.objects.filter(
        recipient_id=OuterRef(f"{ALIAS}recipient_id"),
        kind=OuterRef(f"{ALIAS}kind"),
        subject=OuterRef(f"{ALIAS}subject"),
        quarter=OuterRef(f"{ALIAS}quarter"),
    )
    return selected.queryset.exclude(Exists(exists)).count()


# kind -> function(job, today, lo, hi) giving the reminders for member pks in [lo, hi):
# a Selected, or unsaved Notification rows
BUILDERS: dict = {}


def builder(kind: str):
    def register(func):
        BUILDERS[kind] = func
        return func

    return register


def _users_of_members(members) -> Iterator[tuple[int, int]]:
    """(member pk, user pk) of active members with an active login."""
    return members.filter(is_active=True, user__isnull=False, user__is_active=True).values_list("pk", "user_id")


@builder(Kind.REPORT_DUE)
@builder(Kind.REPORT_OVERDUE)
def _report_reminders(job: Job, today: datetime.date, lo: int, hi: int) -> Selected:
    submitted = QuarterlyReport.objects.filter(member=OuterRef("pk"), quarter=job.quarter, status__in=SUBMITTED)
    members = Member.objects.filter(pk__gte=lo, pk__lt=hi).exclude(Exists(submitted))
    quarter = Quarter.parse(job.quarter)
    due = deadline(quarter, ReminderSettings.get())
    url = reverse("study:report_mine", args=[job.quarter])
    if job.kind == Kind.REPORT_DUE:
        title = _("Your Party-spirit report for %(quarter)s is due by %(date)s") % {
            "quarter": quarter.label(),
            "date": due.isoformat(),
        }
        body = _("Please fill in and submit your quarterly Party-spirit report to your Party group.")
    else:
        title = _("Your Party-spirit report for %(quarter)s is overdue") % {"quarter": quarter.label()}
        body = _("The deadline was %(date)s. Please submit your report as soon as possible.") % {
            "date": due.isoformat()
        }
    return select_reminders(
        members.filter(is_active=True, user__isnull=False, user__is_active=True),
        recipient="user_id",
        kind=job.kind,
        subject="report",
        quarter=job.quarter,
        title=title,
        body=body,
        url=url,
    )


@builder(Kind.SELFCHECK_DUE)
@builder(Kind.SELFCHECK_OVERDUE)
def _selfcheck_reminders(job: Job, today: datetime.date, lo: int, hi: int) -> Selected:
    """Members with an approved 5+X card who have not reported the quarter's self-check."""
    quarter = Quarter.parse(job.quarter)
    checkpoint = QUARTER_CHECKPOINTS[quarter.number - 1]
    reported = SelfCheck.objects.filter(
        card=OuterRef("pk"),
        checkpoint=checkpoint,
        status__in=[SelfCheck.Status.REPORTED, SelfCheck.Status.ACKNOWLEDGED],
    )
    cards = Card.objects.filter(
        kind=CardKind.GOAL_CARD,
        year=quarter.year,
        status=Card.Status.APPROVED,
        member__pk__gte=lo,
        member__pk__lt=hi,
        member__is_active=True,
        member__user__isnull=False,
        member__user__is_active=True,
    ).exclude(Exists(reported))
    due = deadline(quarter, ReminderSettings.get())
    url = reverse("assessment:card_year", args=[quarter.year])
    if job.kind == Kind.SELFCHECK_DUE:
        title = _("Your 5+X self-check for %(quarter)s is due by %(date)s") % {
            "quarter": quarter.label(),
            "date": due.isoformat(),
        }
    else:
        title = _("Your 5+X self-check for %(quarter)s is overdue") % {"quarter": quarter.label()}
    return select_reminders(
        cards,
        recipient="member__user_id",
        kind=job.kind,
        subject="selfcheck",
        quarter=job.quarter,
        title=title,
        body=_("Check every item of your goal plan card and report it to the branch."),
        url=url,
    )


@builder(Kind.GROUP_WAITING)
def _group_waiting(job: Job, today: datetime.date, lo: int, hi: int) -> Iterator[Notification]:
    groups = (
        PartyGroup.objects.filter(
            leader__pk__gte=lo,
            leader__pk__lt=hi,
            leader__is_active=True,
            leader__user__isnull=False,
            leader__user__is_active=True,
        )
        .annotate(
            waiting=Count(
                "reports",
                filter=Q(reports__quarter=job.quarter, reports__status=QuarterlyReport.Status.WITH_GROUP),
            )
        )
        .filter(waiting__gt=0)
        .values_list("leader__user_id", "name", "waiting")
    )
    url = reverse("study:report_waiting")
    for user, name, waiting in groups:
        yield Notification(
            recipient_id=user,
            kind=job.kind,
            subject=f"{job.stage}",
            quarter=job.quarter,
            title=_("%(n)d reports are waiting for %(group)s") % {"n": waiting, "group": name},
            body=_("Discuss them in the group and forward them to the branch, or return them."),
            url=url,
        )


@builder(Kind.BRANCH_WAITING)
def _branch_waiting(job: Job, today: datetime.date, lo: int, hi: int) -> Iterator[Notification]:
    """The slice's secretaries whose branch has reports waiting for it, with their number: the
    reports of those branches only (counting the whole company's in every slice made the run
    grow with the square of the members: 500 slices of a quarter's reports at a million)."""
    secretaries = list(
        _users_of_members(
            Member.objects.filter(pk__gte=lo, pk__lt=hi, committee_role=Member.CommitteeRole.SECRETARY)
        ).values_list("pk", "user_id", "branch_id")
    )
    if not secretaries:
        return
    waiting = (
        QuarterlyReport.objects.filter(
            quarter=job.quarter,
            status=QuarterlyReport.Status.WITH_BRANCH,
            branch_id__in={branch_id for _member, _user, branch_id in secretaries},
        )
        .order_by()
        .values("branch_id")
        .annotate(n=Count("pk"))
    )
    counts = {row["branch_id"]: row["n"] for row in waiting}
    url = f"{reverse('study:review_board')}?quarter={job.quarter}&state=with_branch"
    for _member, user, branch_id in secretaries:
        if branch_id not in counts:
            continue
        yield Notification(
            recipient_id=user,
            kind=job.kind,
            subject=f"{job.stage}",
            quarter=job.quarter,
            title=_("%(n)d reports are waiting for the branch") % {"n": counts[branch_id]},
            body=_("Review them on the report board: approve with a grade or return them."),
            url=url,
        )


@builder(Kind.TALK_OPEN)
def _talk_open(job: Job, today: datetime.date, lo: int, hi: int) -> Iterator[Notification]:
    """Every open talk, to whoever holds it (once a quarter until it is recorded): the
    branch's secretary, or, for a talk with the secretary, every administrator."""
    secretary = Member.objects.filter(
        branch_id=OuterRef("branch_id"),
        committee_role=Member.CommitteeRole.SECRETARY,
        is_active=True,
        user__isnull=False,
    ).values("user_id")[:1]
    open_talks = Talk.objects.filter(status=Talk.Status.OPEN, member__pk__gte=lo, member__pk__lt=hi)
    with_secretary = Q(member__committee_role=Member.CommitteeRole.SECRETARY, member__branch_id=F("branch_id"))
    talks = (
        open_talks.exclude(with_secretary)
        .annotate(secretary_user=Subquery(secretary))
        .exclude(secretary_user__isnull=True)
        .values_list("pk", "secretary_user", "member__name", "due_on")
    )
    rows: Iterable = talks.iterator(chunk_size=BATCH)
    held_by_company = list(open_talks.filter(with_secretary).values_list("pk", "member__name", "due_on"))
    if held_by_company:
        admins = list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
        rows = itertools.chain(rows, ((pk, a, name, due_on) for pk, name, due_on in held_by_company for a in admins))
    for pk, user, name, due_on in rows:
        yield Notification(
            recipient_id=user,
            kind=job.kind,
            subject=f"talk:{pk}",
            quarter=job.quarter,
            title=_("Record the talk with %(name)s") % {"name": name},
            body=(_("Due by %(date)s.") % {"date": due_on.isoformat()}) if due_on else "",
            url=reverse("study:talk_detail", args=[pk]),
        )


@builder(Kind.TALK_ESCALATED)
def _talk_escalated(job: Job, today: datetime.date, lo: int, hi: int) -> Iterator[Notification]:
    """Talks still open past their deadline go up to every administrator."""
    talks = list(
        Talk.objects.filter(
            status=Talk.Status.OPEN, due_on__lt=today, member__pk__gte=lo, member__pk__lt=hi
        ).values_list("pk", "member__name", "branch__name", "due_on")
    )
    if not talks:
        return
    admins = list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
    for pk, name, branch, due_on in talks:
        for user in admins:
            yield Notification(
                recipient_id=user,
                kind=job.kind,
                subject=f"talk:{pk}",
                quarter=job.quarter,
                title=_("Overdue talk: %(name)s (%(branch)s)") % {"name": name, "branch": branch},
                body=_("The talk was due by %(date)s and has not been recorded.") % {"date": due_on.isoformat()},
                url=reverse("study:talk_detail", args=[pk]),
            )


def member_ranges(size: int | None = None) -> list[tuple[int, int]]:
    """[lo, hi) slices of member primary keys, the unit of fan-out work."""
    size = size or settings.REMINDER_SLICE_MEMBERS
    bounds = Member.objects.order_by().aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return []
    return [(lo, min(lo + size, bounds["hi"] + 1)) for lo in range(bounds["lo"], bounds["hi"] + 1, size)]


def deliver(job: Job, *, today: datetime.date, lo: int, hi: int, dry_run: bool = False) -> int:
    """Write the job's reminders for members with pk in [lo, hi); returns how many are new."""
    built = BUILDERS[job.kind](job, today, lo, hi)
    if isinstance(built, Selected):
        if dry_run:
            return _count_selected_new(built)
        return write_selected(built)
    rows = list(built)
    if not rows:
        return 0
    existing = set(
        Notification.objects.filter(
            kind=job.kind,
            quarter=job.quarter,
            recipient_id__in={r.recipient_id for r in rows},
            subject__in={r.subject for r in rows},
        ).values_list("recipient_id", "subject")
    )
    fresh = [r for r in rows if (r.recipient_id, r.subject) not in existing]
    if dry_run or not fresh:
        return len(fresh)
    with transaction.atomic():
        created = Notification.objects.bulk_create(fresh, batch_size=BATCH, ignore_conflicts=True)
    # ignore_conflicts cannot say which rows a concurrent run beat us to; the count
    # reported is what this call tried to add, the database keeps each once.
    return len(created)


def run(*, today: datetime.date, dry_run: bool = False) -> dict[str, int]:
    """The whole day's reminders in this process (the command and the tests use it)."""
    counts: dict[str, int] = {}
    for job in plan(today=today):
        for lo, hi in member_ranges():
            counts[job.kind] = counts.get(job.kind, 0) + deliver(job, today=today, lo=lo, hi=hi, dry_run=dry_run)
    return counts


def send_pending_emails(*, limit: int = 500, recipients: Iterable[int] | None = None) -> int:
    """E-mail what waits for people who have an address: one e-mail per person, listing
    every notification of theirs not e-mailed yet (a reminder run's whole list in one).
    ``limit`` people at a time; ``recipients`` narrows it to those users. The number of
    e-mails sent.

    A person's notifications are claimed (row locks taken with SKIP LOCKED, then marked
    e-mailed) before the e-mail goes out, so two workers, or a retried task, never send
    the same notification twice.
    """
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
    if recipients is not None:
        pending = pending.filter(recipient_id__in=list(recipients))
    people = list(pending.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:limit])
    return sum(_email_person(person) for person in people)


def _email_person(user_id: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        notes = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, emailed_at__isnull=True)
            .order_by("created_at", "pk")
            .values("pk", "title", "body", "url")
        )
        ids = [n["pk"] for n in notes]
        if not ids or not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now):
            return 0
    address = User.objects.filter(pk=user_id).values_list("email", flat=True).first()
    site = settings.SITE_URL.rstrip("/")
    if len(notes) == 1:
        subject = notes[0]["title"]
    else:
        subject = _("%(n)d items for you on the Party building platform") % {"n": len(notes)}
    lines = []
    for n in notes:
        lines.append(f"- {n['title']}")
        if n["body"]:
            lines.append(f"  {n['body']}")
        if n["url"]:
            lines.append(f"  {site}{n['url']}")
        lines.append("")
    try:
        send_mail(subject=subject, message="\n".join(lines), from_email=None, recipient_list=[address])
    except Exception:
        # Give the claim back so the next run tries again.
        Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
        logger.exception("could not e-mail notifications %s", ids)
        raise
    return 1
