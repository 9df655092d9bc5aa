"""What a branch's quarter of reports as Word documents reads: the approved reports with their
problems, and each report's figures (study.selectors.reports.report_figures) for all of them
in a bounded number of queries, however many reports there are."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q

from partybuild.lib.quarters import Quarter

from ..models import Attendance, QuarterlyReport, ReportProblem
from .reports import AttendanceSummary, Particulars, ReportFigures, report_figures

Status = QuarterlyReport.Status


def approved_reports(*, branch_id: int, quarter: Quarter) -> list[QuarterlyReport]:
    """The branch's approved reports of the quarter, group by group and by employee number as the
    review board lists them, with their problems (and where a measure was carried from): two
    queries. The branch is the one the report was written in (a report stays with it)."""
    problems = ReportProblem.objects.select_related("carried_from__report")
    return list(
        QuarterlyReport.objects.filter(branch_id=branch_id, quarter=quarter.code, status=Status.APPROVED)
        .select_related("member", "branch", "group")
        .prefetch_related(Prefetch("problems", queryset=problems))
        .order_by("group__sort_order", "member__employee_no")
    )


def figures_by_report(reports: list[QuarterlyReport], *, quarter: Quarter) -> dict[int, ReportFigures]:
    """Each report's figures by its id, as report_figures gives them: those it was submitted
    with where it keeps them (no query), today's otherwise, read for all such reports at once
    (two queries: the attendance counts by member, the sessions attended)."""
    figures = {r.pk: report_figures(r) for r in reports if r.submitted_figures}
    live = [r for r in reports if not r.submitted_figures]
    if not live:
        return figures
    start, end = quarter.bounds()
    member_ids = [r.member_id for r in live]
    in_quarter = Attendance.objects.filter(
        member_id__in=member_ids, session__starts_at__gte=start, session__starts_at__lt=end
    )
    counts = {
        row.pop("member_id"): AttendanceSummary(**row)
        for row in in_quarter.order_by()
        .values("member_id")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
            absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
        )
    }
    sessions = defaultdict(list)
    present = in_quarter.filter(status=Attendance.Status.PRESENT).select_related("session")
    for attendance in present.order_by("session__starts_at"):
        sessions[attendance.member_id].append(attendance.session)
    for report in live:
        member = report.member
        figures[report.pk] = ReportFigures(
            attendance=counts.get(member.pk, AttendanceSummary(0, 0, 0, 0)),
            sessions=sessions[member.pk],
            particulars=Particulars(
                name=member.name,
                employee_no=member.employee_no,
                party_status=member.party_status,
                post=member.post,
                group=report.group.name if report.group_id else "",
            ),
            as_submitted=False,
        )
    return figures
