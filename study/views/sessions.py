from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.actions import form_action
from partybuild.lib.pagination import paginate, query_without_page
from partybuild.lib.quarters import recent_quarters

from ..forms.sessions import AttendanceForm, SessionFilterForm, SessionForm
from ..models import Attendance, StudySession
from ..selectors import sessions as selectors
from ..services import sessions as services

SESSION_FIELDS = SessionForm.Meta.fields


def _manage_branch(request: HttpRequest) -> tuple[int, set[int] | None]:
    """The branch a new session belongs to, and the groups the user may pick (None: any)."""
    roles = get_roles(request.user)
    if roles.is_admin or roles.committee_branch_id is not None:
        requested = request.GET.get("branch") or request.POST.get("branch")
        branch, _branches = member_selectors.committee_branch_for_user(user=request.user, requested=requested)
        if branch is None:
            raise PermissionDenied
        return branch.pk, None
    if roles.is_group_leader:
        return roles.member.branch_id, set(roles.led_group_ids)
    raise PermissionDenied


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    filters = SessionFilterForm(request.GET)
    for error in filters.errors.get("quarter", []):
        messages.error(request, error)
    quarter, kind = filters.values["quarter"], filters.values["kind"]
    page = paginate(request, selectors.session_list_rows(user=request.user, quarter=quarter, kind=kind))
    return render(
        request,
        "study/session_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "quarter": quarter,
            "quarters": recent_quarters(8),
            "kind": kind,
            "kinds": StudySession.Kind.choices,
            "can_create": roles.is_admin or roles.is_committee or roles.is_group_leader,
            "now": timezone.now(),
        },
    )


def _fields(data: dict) -> dict:
    return {k: data[k] for k in SESSION_FIELDS}


def _assigned(data: dict) -> list:
    return list(data.get("assigned_members") or [])


def _also_counts_for(data: dict) -> list:
    return list(data.get("also_counts_for") or [])


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    branch_id, group_ids = _manage_branch(request)
    initial = {
        "starts_at": timezone.localtime().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    }
    if request.GET.get("kind") in StudySession.Kind.values:
        initial["kind"] = request.GET["kind"]
        if initial["kind"] == StudySession.Kind.COMMITTEE:
            initial["audience"] = StudySession.Audience.COMMITTEE
    if group_ids is not None:
        initial.update(kind=StudySession.Kind.GROUP_MEETING, audience=StudySession.Audience.GROUP)
    branches = member_selectors.branch_list_for_user(user=request.user) if get_roles(request.user).is_admin else None
    return form_action(
        request,
        SessionForm(request.POST or None, branch_id=branch_id, group_ids=group_ids, initial=initial),
        lambda data: services.session_create(
            actor=request.user,
            data={**_fields(data), "branch_id": branch_id},
            assigned=_assigned(data),
            also_counts_for=_also_counts_for(data),
        ),
        template="study/session_form.html",
        context={"session": None, "branches": branches, "branch_id": branch_id},
        success_message=_("The study session was planned."),
    )


def _get_managed(request: HttpRequest, pk: int) -> StudySession:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    if not services.session_can_manage(
        actor=request.user, branch_id=session.branch_id, group_id=session.group_id, kind=session.kind
    ):
        raise PermissionDenied
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed(request, pk)
    roles = get_roles(request.user)
    group_ids = None if (roles.is_admin or roles.committee_branch_id == session.branch_id) else set(roles.led_group_ids)
    return form_action(
        request,
        SessionForm(request.POST or None, instance=session, branch_id=session.branch_id, group_ids=group_ids),
        lambda data: services.session_update(
            actor=request.user,
            session_id=session.pk,
            data=_fields(data),
            assigned=_assigned(data),
            also_counts_for=_also_counts_for(data),
            version=data["version"],
        ),
        template="study/session_form.html",
        context={"session": session},
        success_message=_("The study session was saved."),
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    can_manage = services.session_can_manage(
        actor=request.user, branch_id=session.branch_id, group_id=session.group_id, kind=session.kind
    )
    rows = list(selectors.attendance_for_user(user=request.user, session=session, can_manage=can_manage))
    summary = {status: 0 for status in Attendance.Status.values}
    for row in rows:
        summary[row.status] += 1
    return render(
        request,
        "study/session_detail.html",
        {
            "session": session,
            "can_manage": can_manage,
            "rows": rows,
            "summary": summary,
            "expected_count": services.expected_attendees(session).count(),
            "assigned": list(session.assigned_members.all()),
            "also_counts_for": list(session.also_counts_for.all()),
            "started": session.starts_at <= timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Take attendance for the whole list on one page."""
    session = _get_managed(request, pk)
    expected = list(services.expected_attendees(session).select_related("group"))
    form = AttendanceForm(
        request.POST or None,
        initial={"version": session.version},
        marks=selectors.attendance_sheet(session=session, expected=expected),
    )
    return form_action(
        request,
        form,
        lambda data: services.attendance_record(
            actor=request.user, session_id=session.pk, marks=form.marked(), version=data["version"]
        ),
        template="study/session_attendance.html",
        context={
            "session": session,
            "formset": form.marks,
            "version_form": form,
            "rows": list(zip(expected, form.marks.forms, strict=False)),
            "started": session.starts_at <= timezone.now(),
        },
        success_url=session,
        success_message=lambda count: _("Attendance saved (%(n)d marks changed).") % {"n": count},
    )


@login_required
def study_record(request: HttpRequest, member_pk: int | None = None) -> HttpResponse:
    """A member's study record: attendance per quarter of a year and the sessions attended."""
    roles = get_roles(request.user)
    if member_pk is None:
        if roles.member is None:
            raise PermissionDenied
        member = roles.member
    else:
        member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year + 1)
    quarters = selectors.study_record(member_id=member.pk, year=year)
    totals = {key: sum(q[key] for q in quarters) for key in ("expected", "present", "excused", "absent")}
    totals["rate"] = round(100 * totals["present"] / totals["expected"]) if totals["expected"] else None
    return render(
        request,
        "study/study_record.html",
        {
            "member": member,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "quarters": quarters,
            "totals": totals,
            "attended": selectors.attended_in_year(member_id=member.pk, year=year),
        },
    )
