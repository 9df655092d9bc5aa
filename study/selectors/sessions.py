from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from members.models import Member, User
from members.roles import get_roles
from partybuild.lib.quarters import Quarter

from ..models import Attendance, StudySession


def session_list_for_user(*, user: User) -> QuerySet[StudySession]:
    """Administrators see every session; the branch committee their branch's; a group
    leader their branch's; a member the sessions they are expected at."""
    roles = get_roles(user)
    qs = StudySession.objects.select_related("branch", "group")
    if roles.is_admin:
        return qs
    scope = Q(pk__in=[])
    if roles.committee_branch_id is not None or roles.led_group_ids:
        scope |= Q(branch_id=roles.member.branch_id)
    if roles.member is not None:
        member = roles.member
        scope |= Q(branch_id=member.branch_id, audience=StudySession.Audience.BRANCH)
        if member.group_id:
            scope |= Q(group_id=member.group_id, audience=StudySession.Audience.GROUP)
        scope |= Q(assigned_members=member)
    return qs.filter(scope).distinct()


def session_get_for_user(*, user: User, pk: int) -> StudySession:
    try:
        return session_list_for_user(user=user).get(pk=pk)
    except (StudySession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attendance_for_user(*, user: User, session: StudySession, can_manage: bool) -> QuerySet[Attendance]:
    """The session's marks the user may read, in list order: the whole list for whoever
    manages the session, the branch committee and the administrator; a member their own."""
    roles = get_roles(user)
    marks = Attendance.objects.filter(session=session).select_related("member", "member__group")
    if not (can_manage or roles.is_admin or roles.committee_branch_id == session.branch_id):
        marks = marks.filter(member=roles.member)
    return marks.order_by("member__group__sort_order", "member__employee_no")


def attendance_sheet(*, session: StudySession, expected: list[Member]) -> list[dict]:
    """The attendance page's rows, one per expected member: the mark recorded, or present
    (with no reason) where none is yet."""
    marks = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    present = Attendance(status=Attendance.Status.PRESENT, reason="")
    return [
        {"member_id": m.pk, "status": marks.get(m.pk, present).status, "reason": marks.get(m.pk, present).reason}
        for m in expected
    ]


def attended_in_year(*, member_id: int, year: int) -> QuerySet[Attendance]:
    """The member's marks at the year's sessions, newest first."""
    start, end = Quarter(year, 1).bounds()[0], Quarter(year, 4).bounds()[1]
    return (
        Attendance.objects.filter(member_id=member_id, session__starts_at__gte=start, session__starts_at__lt=end)
        .select_related("session")
        .order_by("-session__starts_at")
    )


def with_attendance_counts(sessions: QuerySet[StudySession]) -> QuerySet[StudySession]:
    return sessions.annotate(
        present_count=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
        marked_count=Count("attendance"),
    )


def in_quarter(sessions: QuerySet[StudySession], quarter: Quarter) -> QuerySet[StudySession]:
    start, end = quarter.bounds()
    return sessions.filter(starts_at__gte=start, starts_at__lt=end)


def study_record(*, member_id: int, year: int) -> list[dict]:
    """The member's attendance per quarter of the year: sessions, present, excused, absent, rate."""
    rows = []
    for number in range(1, 5):
        start, end = Quarter(year, number).bounds()
        rows.append({"quarter": Quarter(year, number), "start": start, "end": end})
    counts = (
        Attendance.objects.filter(
            member_id=member_id, session__starts_at__gte=rows[0]["start"], session__starts_at__lt=rows[-1]["end"]
        )
        .order_by()
        .values_list("session__starts_at", "status")
    )
    totals = {number: {"expected": 0, "present": 0, "excused": 0, "absent": 0} for number in range(1, 5)}
    for starts_at, status in counts:
        number = Quarter.of(timezone.localtime(starts_at).date()).number
        totals[number]["expected"] += 1
        totals[number][status] += 1
    result = []
    for row in rows:
        t = totals[row["quarter"].number]
        rate = round(100 * t["present"] / t["expected"]) if t["expected"] else None
        result.append({"quarter": row["quarter"], **t, "rate": rate})
    return result


def session_list_rows(*, user: User, quarter: Quarter | None, kind: str | None) -> QuerySet[StudySession]:
    """The sessions the user may see, with their attendance counts, in a quarter and of a
    kind where those are asked for, newest first."""
    sessions = with_attendance_counts(session_list_for_user(user=user))
    if quarter:
        sessions = in_quarter(sessions, quarter)
    if kind:
        sessions = sessions.filter(kind=kind)
    return sessions.prefetch_related("also_counts_for").order_by("-starts_at")
