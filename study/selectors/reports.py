from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy

from members import selectors as member_selectors
from members.models import Member, User
from members.roles import Roles, committee_members, get_roles
from partybuild.lib.quarters import Quarter

from ..models import Attendance, QuarterlyReport, ReportProblem, StudySession, Talk

Status = QuarterlyReport.Status
NOT_STARTED = "not_started"
BOARD_STATES = [NOT_STARTED, Status.DRAFT, Status.WITH_GROUP, Status.WITH_BRANCH, Status.RETURNED, Status.APPROVED]
# Not handed in: no report, a draft, or returned and not handed in again.
NOT_SUBMITTED_STATES = [NOT_STARTED, Status.DRAFT, Status.RETURNED]
STATE_LABELS = {NOT_STARTED: gettext_lazy("Not started"), **dict(Status.choices)}


def report_list_for_user(*, user: User) -> QuerySet[QuarterlyReport]:
    """A member sees their own reports; a group leader those submitted to their group;
    the branch committee the branch's; an administrator all (the scope rule)."""
    qs = QuarterlyReport.objects.select_related("member", "branch", "group")
    return member_selectors.records_in_scope(qs, user=user, hidden_from_group=Q(status=Status.DRAFT))


def report_get_for_user(*, user: User, pk: int) -> QuarterlyReport:
    try:
        return report_list_for_user(user=user).get(pk=pk)
    except (QuarterlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_for_quarter(*, member: Member, quarter: Quarter) -> QuarterlyReport | None:
    """The member's own report for the quarter, if they have started one."""
    return QuarterlyReport.objects.filter(member=member, quarter=quarter.code).first()


@dataclass(frozen=True)
class QuarterGrade:
    """A handed-in report as a member's years show it: its state, and its grade once approved."""

    status: str
    grade: str  # "" until the branch approves the report

    @property
    def label(self) -> str:
        return _label(QuarterlyReport.Grade, self.grade) if self.grade else _label(Status, self.status)


def handed_in_grades(*, member_id: int, quarters: list[Quarter]) -> dict[str, QuarterGrade]:
    """The member's handed-in reports of these quarters by quarter code, in one query.

    A draft or a returned report is still in the member's hands and is left out; a report
    with the group or the branch has no grade yet (a returned one may carry the grade it was
    returned with: that is not its grade, so only an approved report's grade is given)."""
    rows = (
        QuarterlyReport.objects.filter(member_id=member_id, quarter__in=[q.code for q in quarters])
        .exclude(status__in=NOT_SUBMITTED_STATES)
        .order_by()
        .values_list("quarter", "status", "grade")
    )
    return {
        quarter: QuarterGrade(status=status, grade=grade if status == Status.APPROVED else "")
        for quarter, status, grade in rows
    }


def _not_own(qs: QuerySet[QuarterlyReport], roles: Roles) -> QuerySet[QuarterlyReport]:
    """Nobody judges themselves: a queue never holds the actor's own report."""
    return qs.exclude(member_id=roles.member.pk) if roles.member is not None else qs


def reports_waiting_for_group(*, user: User) -> QuerySet[QuarterlyReport]:
    roles = get_roles(user)
    return _not_own(
        report_list_for_user(user=user).filter(group_id__in=roles.led_group_ids, status=Status.WITH_GROUP), roles
    ).order_by("updated_at")


def reports_handled_by_group(*, user: User) -> QuerySet[QuarterlyReport]:
    """The reports of the leader's groups that have left the group's hands, latest change first."""
    roles = get_roles(user)
    return (
        report_list_for_user(user=user)
        .filter(group_id__in=roles.led_group_ids)
        .exclude(status=Status.WITH_GROUP)
        .order_by("-updated_at")
    )


def reports_for_company(*, user: User) -> QuerySet[QuarterlyReport]:
    """For the administrator: reports waiting for the branch that nobody on the branch committee
    may judge but their author (a lone committee member's own report, or a branch without a
    committee), in every branch. The same rule as study.services.reports.falls_to_company."""
    roles = get_roles(user)
    if not roles.is_admin:
        return QuarterlyReport.objects.none()
    judges = committee_members(branch_id=OuterRef("branch_id"), excluding=OuterRef("member_id"))
    return _not_own(
        QuarterlyReport.objects.select_related("member", "branch")
        .filter(status=Status.WITH_BRANCH)
        .filter(~Exists(judges)),
        roles,
    ).order_by("updated_at")


@dataclass(frozen=True)
class BoardCounts:
    total: int
    by_state: dict[str, int]

    @property
    def approved_percent(self) -> int:
        return round(100 * self.by_state.get(Status.APPROVED, 0) / self.total) if self.total else 0


def review_board(*, branch_id: int, quarter: Quarter) -> QuerySet[Member]:
    """Every active member of the branch with their report's id, state and last change
    for the quarter (no report: "not_started"), in one query: a LEFT JOIN on the
    quarter's report (one per member and quarter)."""
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .select_related("group")
        .annotate(
            report=FilteredRelation("reports", condition=Q(reports__quarter=quarter.code)),
            report_id=F("report__id"),
            report_state=F("report__status"),
            report_updated=F("report__updated_at"),
        )
        .order_by("group__sort_order", "employee_no")
    )


def not_submitted(*, branch_id: int, quarter: Quarter) -> QuerySet[Member]:
    """The board's members who have not handed in the quarter's report."""
    return review_board(branch_id=branch_id, quarter=quarter).filter(
        Q(report_id__isnull=True) | Q(report_state__in=NOT_SUBMITTED_STATES)
    )


def review_board_counts(*, branch_id: int, quarter: Quarter) -> BoardCounts:
    """How many of the board's members are in each state, in one GROUP BY over the same join."""
    by_state = dict.fromkeys(BOARD_STATES, 0)
    rows = (
        review_board(branch_id=branch_id, quarter=quarter)
        .order_by()
        .values_list("report_state")
        .annotate(n=Count("pk"))
    )
    for state, n in rows:
        by_state[state or NOT_STARTED] += n
    return BoardCounts(total=sum(by_state.values()), by_state=by_state)


def filter_board(members: QuerySet[Member], *, state: str | None, group_id: int | None) -> QuerySet[Member]:
    if group_id:
        members = members.filter(group_id=group_id)
    if state == NOT_STARTED:
        members = members.filter(report_id__isnull=True)
    elif state in Status.values:
        members = members.filter(report_state=state)
    return members


def review_board_rows(*, branch_id: int, quarter: Quarter, state: str | None, group_id: int | None) -> QuerySet:
    """The board's rows, filtered, as plain values (a template reads a dict several times
    faster than a model's attributes): the member, their group, and their report's id,
    state (no report: "not_started") and last change."""
    members = filter_board(review_board(branch_id=branch_id, quarter=quarter), state=state, group_id=group_id)
    return members.values(
        "employee_no",
        "name",
        "report_id",
        group_name=F("group__name"),
        state=Coalesce("report_state", Value(NOT_STARTED)),
        updated=F("report_updated"),
    )


def quarter_status_rows(*, quarter: Quarter, branch_name: str | None = None) -> list[dict]:
    """Per branch: how many members are in each board state for the quarter (two GROUP BYs)."""
    from members.models import Branch

    branches = Branch.objects.order_by("sort_order", "name")
    if branch_name:
        branches = branches.filter(name=branch_name)
    totals = dict(
        Member.objects.filter(is_active=True, branch__in=branches)
        .order_by()
        .values_list("branch_id")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for branch_id, status, n in (
        QuarterlyReport.objects.filter(quarter=quarter.code, branch__in=branches, member__is_active=True)
        .order_by()
        .values_list("branch_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(branch_id, {})[status] = n
    rows = []
    for branch in branches:
        states = {state: counts.get(branch.pk, {}).get(state, 0) for state in Status.values}
        total = totals.get(branch.pk, 0)
        rows.append(
            {"branch": branch.name, "total": total, NOT_STARTED: max(total - sum(states.values()), 0), **states}
        )
    return rows


# ---------------------------------------------------------------------------
# What the report shows automatically


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int
    present: int
    excused: int
    absent: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.present / self.expected) if self.expected else None


def attendance_summary(*, member_id: int, quarter: Quarter) -> AttendanceSummary:
    start, end = quarter.bounds()
    counts = (
        Attendance.objects.filter(member_id=member_id, session__starts_at__gte=start, session__starts_at__lt=end)
        .order_by()
        .aggregate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
            absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
        )
    )
    return AttendanceSummary(**counts)


def sessions_attended(*, member_id: int, quarter: Quarter) -> QuerySet[StudySession]:
    start, end = quarter.bounds()
    return StudySession.objects.filter(
        attendance__member_id=member_id,
        attendance__status=Attendance.Status.PRESENT,
        starts_at__gte=start,
        starts_at__lt=end,
    ).order_by("starts_at")


# ---------------------------------------------------------------------------
# What a report shows: live while the member writes it, as submitted afterwards


@dataclass(frozen=True)
class AttendedSession:
    """A session attended, as a submitted report lists it (the fields its templates read)."""

    starts_at: datetime.datetime
    kind: str
    title: str
    content_tag: str

    def get_kind_display(self) -> str:
        return _label(StudySession.Kind, self.kind)

    def get_content_tag_display(self) -> str:
        return _label(StudySession.ContentTag, self.content_tag)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


@dataclass(frozen=True)
class Particulars:
    """Who wrote the report, as its header and print form show them."""

    name: str
    employee_no: str
    party_status: str
    post: str
    group: str

    def get_party_status_display(self) -> str:
        return _label(Member.PartyStatus, self.party_status)


@dataclass(frozen=True)
class ReportFigures:
    attendance: AttendanceSummary
    sessions: list
    particulars: Particulars
    # True when these are the figures the report was submitted with, not today's.
    as_submitted: bool


# A draft or a returned report is in the member's hands: it shows what it would be submitted with.
LIVE_STATES = frozenset({Status.DRAFT, Status.RETURNED})


def _live_particulars(report: QuarterlyReport) -> Particulars:
    member = report.member
    return Particulars(
        name=member.name,
        employee_no=member.employee_no,
        party_status=member.party_status,
        post=member.post,
        group=report.group.name if report.group_id else "",
    )


def report_figures(report: QuarterlyReport) -> ReportFigures:
    """The attendance figures, attended sessions and particulars the report shows: today's for a
    draft or a returned report, those it was submitted with once it is with the group, with the
    branch or approved (approval freezes them)."""
    saved = report.submitted_figures
    if report.status in LIVE_STATES or not saved:
        quarter = Quarter.parse(report.quarter)
        return ReportFigures(
            attendance=attendance_summary(member_id=report.member_id, quarter=quarter),
            sessions=list(sessions_attended(member_id=report.member_id, quarter=quarter)),
            particulars=_live_particulars(report),
            as_submitted=False,
        )
    return ReportFigures(
        attendance=AttendanceSummary(**saved["attendance"]),
        sessions=[
            AttendedSession(
                starts_at=datetime.datetime.fromisoformat(s["starts_at"]),
                kind=s["kind"],
                title=s["title"],
                content_tag=s["content_tag"],
            )
            for s in saved["sessions"]
        ],
        particulars=Particulars(**saved["particulars"]),
        as_submitted=True,
    )


def report_figures_to_keep(report: QuarterlyReport) -> dict:
    """Today's figures for the report, as stored in QuarterlyReport.submitted_figures on submit."""
    quarter = Quarter.parse(report.quarter)
    summary = attendance_summary(member_id=report.member_id, quarter=quarter)
    sessions = sessions_attended(member_id=report.member_id, quarter=quarter).values_list(
        "starts_at", "kind", "title", "content_tag"
    )
    return {
        "attendance": dataclasses.asdict(summary),
        "sessions": [
            {"starts_at": starts_at.isoformat(), "kind": kind, "title": title, "content_tag": tag}
            for starts_at, kind, title, tag in sessions
        ],
        "particulars": dataclasses.asdict(_live_particulars(report)),
    }


def talk_list_for_user(*, user: User) -> QuerySet[Talk]:
    roles = get_roles(user)
    qs = Talk.objects.select_related("member", "branch", "report")
    if roles.is_admin:
        return qs
    scope = Q(pk__in=[])
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id)
    if roles.member is not None:
        scope |= Q(member_id=roles.member.pk)
    return qs.filter(scope)


def talks_for_company(talks: QuerySet[Talk]) -> QuerySet[Talk]:
    """The talks the company administrator holds: those with their branch's secretary
    (the same rule as study.services.talks.talk_falls_to_company)."""
    return talks.filter(member__committee_role=Member.CommitteeRole.SECRETARY, member__branch_id=F("branch_id"))


def talk_get_for_user(*, user: User, pk: int) -> Talk:
    try:
        return talk_list_for_user(user=user).get(pk=pk)
    except (Talk.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_talk_count(*, member: Member) -> int:
    return Talk.objects.filter(member=member, status=Talk.Status.OPEN).count()


def branch_talk_counts(*, branch_id: int, excluding: Member | None, today: datetime.date) -> dict[str, int]:
    """The branch's open talks and how many are overdue, for its committee: not the member's
    own, nor those with the secretary (the administrator's, see talks_for_company)."""
    talks = Talk.objects.filter(branch_id=branch_id, status=Talk.Status.OPEN).exclude(member=excluding)
    return talks.exclude(pk__in=talks_for_company(Talk.objects.all())).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )


@dataclass(frozen=True)
class CarriedRemoval:
    """A rectification measure carried over from an earlier report that the member took
    out of this one: kept in the report's history for the group and the branch to see."""

    created_at: datetime.datetime
    actor: User | None
    problem: str
    measure: str
    action: str = "remove_carried"


def report_history(report: QuarterlyReport) -> list:
    """The report's transitions and the removals of carried-over measures, oldest first
    (two queries: the removals are read from the problems' history)."""
    transitions = list(report.transitions.select_related("actor__member", "restudy_session", "talk"))
    removals = [
        CarriedRemoval(created_at=row.history_date, actor=row.history_user, problem=row.problem, measure=row.measure)
        for row in ReportProblem.history.filter(
            report_id=report.pk, history_type="-", carried_from_id__isnull=False
        ).select_related("history_user__member")
    ]
    return sorted([*transitions, *removals], key=lambda entry: entry.created_at)
