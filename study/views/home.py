from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from members.roles import Roles
from partybuild.lib.quarters import Quarter

from ..models import QuarterlyReport
from ..selectors import reports as selectors


def home_context(request: HttpRequest, roles: Roles) -> dict:
    """Platform 1 on the home page: my report this quarter, what waits for me, the branch's progress."""
    quarter = Quarter.current()
    context: dict = {"study_quarter": quarter}
    if roles.is_member:
        context["my_report"] = selectors.report_for_quarter(member=roles.member, quarter=quarter)
        context["my_attendance"] = selectors.attendance_summary(member_id=roles.member.pk, quarter=quarter)
        context["my_open_talks"] = selectors.open_talk_count(member=roles.member)
    if roles.is_group_leader:
        context["group_waiting"] = selectors.reports_waiting_for_group(user=request.user).count()
    if roles.committee_branch_id is not None:
        branch_id = roles.committee_branch_id
        context["board"] = selectors.review_board_counts(branch_id=branch_id, quarter=quarter)
        context["board_rows"] = [(key, context["board"].by_state[key]) for key in selectors.BOARD_STATES]
        context["talks"] = selectors.branch_talk_counts(
            branch_id=branch_id, excluding=roles.member, today=timezone.localdate()
        )
    if roles.is_admin:
        rows = selectors.quarter_status_rows(quarter=quarter)
        total = sum(r["total"] for r in rows)
        approved = sum(r[QuarterlyReport.Status.APPROVED] for r in rows)
        context["company_reports"] = {
            "total": total,
            "approved": approved,
            "percent": round(100 * approved / total) if total else 0,
            "for_you": selectors.reports_for_company(user=request.user).count(),
        }
    return context
