from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action, hand_in
from partybuild.lib.pagination import paginate, query_without_page
from partybuild.lib.quarters import Quarter, quarter_or_404, recent_quarters

from ..forms.reports import ApproveForm, ForwardForm, ReportEditForm, ReturnForm, ReviewBoardFilterForm
from ..models import QuarterlyReport
from ..selectors import reports as selectors
from ..services import reports as services

FOR_COMPANY_SHOWN = 50


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The member's own reports, newest quarter first, with this quarter's at the top."""
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    reports = {r.quarter: r for r in selectors.report_list_for_user(user=request.user).filter(member=roles.member)}
    quarters = recent_quarters(8)
    rows = [(q, reports.get(q.code)) for q in quarters]
    older = [r for code, r in sorted(reports.items(), reverse=True) if code < quarters[-1].code]
    return render(request, "study/report_list.html", {"rows": rows, "older": older, "current": quarters[0]})


@login_required
@require_http_methods(["GET", "POST"])
def report_mine(request: HttpRequest, quarter: str) -> HttpResponse:
    """Open the member's report for a quarter; starting one is a POST."""
    q = quarter_or_404(quarter)
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    existing = selectors.report_for_quarter(member=roles.member, quarter=q)
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.report_start(actor=request.user, quarter=q),
            success_url=lambda report: reverse("study:report_edit", args=[report.pk]),
            failure_url="study:report_list",
        )
    return render(request, "study/report_start.html", {"quarter": q, "future": q > Quarter.current()})


def _detail_context(request: HttpRequest, report: QuarterlyReport) -> dict:
    """The report's page, with a form for each action the user may take on it (a judgement
    posted from it shows its form again through form_action's ``form_name``)."""
    quarter = Quarter.parse(report.quarter)
    actions = services.allowed_actions(actor=request.user, report=report)
    by_branch = "return_branch" in actions
    figures = selectors.report_figures(report)
    context = {
        "report": report,
        "quarter": quarter,
        "actions": actions,
        "is_author": report.member.user_id == request.user.pk,
        "problems": list(report.problems.select_related("carried_from__report")),
        "figures": figures,
        "sessions": figures.sessions,
        "attendance": figures.attendance,
        "particulars": figures.particulars,
        "transitions": selectors.report_history(report),
        "sections": QuarterlyReport.Section,
        "goes_to_branch": services.first_stop(report) == QuarterlyReport.Status.WITH_BRANCH,
    }
    if "forward" in actions:
        context["forward_form"] = ForwardForm()
    if "return_group" in actions or by_branch:
        context["return_form"] = ReturnForm(report=report, by_branch=by_branch)
    if "approve" in actions:
        context["approve_form"] = ApproveForm(report=report)
    return context


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return render(request, "study/report_detail.html", _detail_context(request, report))


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return render(request, "study/report_print.html", _detail_context(request, report))


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member writes (and may hand in) their report. The report is saved first; a
    submit refused as incomplete keeps what was saved and says why."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if report.member.user_id != request.user.pk:
        raise PermissionDenied
    if report.status not in selectors.LIVE_STATES:
        messages.info(request, _("This report is with the group or the branch and cannot be edited now."))
        return redirect(report)
    form = ReportEditForm(request.POST or None, report=report)
    edit_url = reverse("study:report_edit", args=[report.pk])

    def save(data: dict) -> tuple[object, str]:
        saved = services.report_save(
            actor=request.user,
            report_id=report.pk,
            version=data["version"],
            texts=form.texts(),
            problems=form.problems(),
        )
        if "submit" not in request.POST:
            return edit_url, _("Your report was saved.")
        if hand_in(
            request,
            lambda: services.report_submit(actor=request.user, report_id=saved.pk),
            not_ready=_("Your changes were saved, but the report is not ready to submit."),
        ):
            return saved, _("Your report was submitted.")
        return edit_url, ""

    quarter = Quarter.parse(report.quarter)
    return form_action(
        request,
        form,
        save,
        template="study/report_edit.html",
        context={
            "report": report,
            "formset": form.formset,
            "problems_open": form.problems_open,
            "quarter": quarter,
            "sessions": list(selectors.sessions_attended(member_id=report.member_id, quarter=quarter)),
            "attendance": selectors.attendance_summary(member_id=report.member_id, quarter=quarter),
            "returned": report.status == QuarterlyReport.Status.RETURNED,
            "last_return": report.transitions.filter(to_status=QuarterlyReport.Status.RETURNED).last(),
        },
        success_url=lambda then: then[0],
        success_message=lambda then: then[1],
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    # A report refused as incomplete goes back to its author's edit page, which says what is missing.
    editable = report.member.user_id == request.user.pk and report.status in selectors.LIVE_STATES
    return button_action(
        request,
        lambda: services.report_submit(actor=request.user, report_id=report.pk),
        success_url=report,
        success_message=_("Your report was submitted."),
        failure_url=reverse("study:report_edit", args=[report.pk]) if editable else report,
    )


def _on_report_page(request: HttpRequest, report: QuarterlyReport) -> dict:
    """Where a judgement posted from the report's page shows its form again if refused."""
    return {"template": "study/report_detail.html", "context": _detail_context(request, report)}


@login_required
@require_POST
def report_forward(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return form_action(
        request,
        ForwardForm(request.POST),
        lambda data: services.report_forward(actor=request.user, report_id=report.pk, opinion=data["opinion"]),
        **_on_report_page(request, report),
        form_name="forward_form",
        success_url=reverse("study:report_waiting"),
        success_message=_("The report was forwarded to the branch."),
    )


def _restudy_id(data: dict) -> int | None:
    session = data.get("restudy_session")
    return session.pk if session else None


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    by_branch = report.status == QuarterlyReport.Status.WITH_BRANCH
    return form_action(
        request,
        ReturnForm(request.POST, report=report, by_branch=by_branch),
        lambda data: services.report_return(
            actor=request.user,
            report_id=report.pk,
            sections=data["sections"],
            comment=data["comment"],
            restudy_session_id=_restudy_id(data),
            open_talk=data.get("open_talk", False),
        ),
        **_on_report_page(request, report),
        form_name="return_form",
        success_message=_("The report was returned to %(name)s.") % {"name": report.member.name},
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)

    def approve(data: dict) -> QuarterlyReport:
        judged = services.report_approve(
            actor=request.user,
            report_id=report.pk,
            grade=data["grade"],
            truly_studied=data["truly_studied"],
            truly_checked=data["truly_checked"],
            truly_rectified=data["truly_rectified"],
            evaluation=data["evaluation"],
            sections=data.get("sections") or [],
            restudy_session_id=_restudy_id(data),
            open_talk=data.get("open_talk", False),
        )
        if judged.status != QuarterlyReport.Status.APPROVED:
            messages.warning(request, _("Graded unqualified: the report was returned to the member."))
        return judged

    return form_action(
        request,
        ApproveForm(request.POST, report=report),
        approve,
        **_on_report_page(request, report),
        form_name="approve_form",
        success_message=lambda judged: (
            _("The report was approved.") if judged.status == QuarterlyReport.Status.APPROVED else ""
        ),
    )


@login_required
def report_waiting(request: HttpRequest) -> HttpResponse:
    """The group leader's queue: reports submitted to their group and not yet handled."""
    roles = get_roles(request.user)
    if not roles.is_group_leader:
        raise PermissionDenied
    page = paginate(request, selectors.reports_waiting_for_group(user=request.user))
    recent = selectors.reports_handled_by_group(user=request.user)[:10]
    return render(request, "study/report_waiting.html", {"page": page, "recent": recent})


@login_required
def review_board(request: HttpRequest) -> HttpResponse:
    """The branch's reports for a quarter: every member in one state, with counts."""
    roles = get_roles(request.user)
    branch, branches = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch")
    )
    if branch is None:
        return render(request, "study/review_board.html", {"branch": None, "branches": branches})
    filters = ReviewBoardFilterForm(request.GET).values
    quarter, state, group_id = filters["quarter"], filters["state"], filters["group"]
    rows = selectors.review_board_rows(branch_id=branch.pk, quarter=quarter, state=state, group_id=group_id)
    counts = selectors.review_board_counts(branch_id=branch.pk, quarter=quarter)
    # The whole branch: its head count is in the counts already.
    page = paginate(request, rows, 50, count=counts.total if state is None and group_id is None else None)
    return render(
        request,
        "study/review_board.html",
        {
            # The reports nobody but the administrator may judge, in every branch.
            "for_company": list(selectors.reports_for_company(user=request.user)[:FOR_COMPANY_SHOWN])
            if roles.is_admin
            else [],
            "branch": branch,
            "branches": branches,
            "quarter": quarter,
            "quarters": recent_quarters(8),
            "counts": counts,
            "count_rows": [(key, selectors.STATE_LABELS[key], counts.by_state[key]) for key in selectors.BOARD_STATES],
            # Who the "remind" button reaches: no report, a draft, or returned and not handed in again.
            "not_submitted": sum(counts.by_state[key] for key in selectors.NOT_SUBMITTED_STATES),
            "groups": member_selectors.group_choices(branch_id=branch.pk),
            "state": state,
            "group_id": group_id,
            "page": page,
            "rows": page.object_list,
            "query": query_without_page(request),
            "states": selectors.BOARD_STATES,
        },
    )
