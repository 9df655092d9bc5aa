"""Objection pages (异议) of the publicity window: the member files one on their own
result page, the branch committee lists its branch's and rules on each, the
administrator sees every branch's.

What a page may show follows the scope rule (selectors/objections.py: 404 outside it);
who may rule is the service's question (``may_rule``), and a ruling page never shows
who gave a rating: the ratings it may withdraw come with their group, total and scores.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Member
from members.roles import Roles, get_roles
from partybuild.lib.actions import form_action
from partybuild.lib.forms import add_service_errors
from partybuild.lib.pagination import paginate

from ..forms.objections import ObjectionFileForm, ObjectionFilterForm, ObjectionRuleForm
from ..models import Objection, Period, Result
from ..selectors import objections as selectors
from ..selectors import results as result_selectors
from ..services import AssessmentError
from ..services import objections as services
from ..services.ratings import rubric_items
from .common import query_without

LIST_PAGE = 25


def objection_box(*, period: Period, member: Member, result: Result | None, form=None) -> dict:
    """The member's objection block on their own result page: the publicity window, their
    objection (and its ruling) or the form to file one while the window is open."""
    if not period.is_published:
        return {}
    objection = selectors.objection_of_member(period=period, member_id=member.pk)
    window_open = period.objections_open_on(timezone.localdate())
    if form is None and objection is None and result is not None and window_open:
        form = ObjectionFileForm()
    return {"objection": objection, "objections_open": window_open, "objection_form": form}


@login_required
@require_POST
def objection_file(request: HttpRequest, code: str) -> HttpResponse:
    """The member's one objection to their own result; refused, their result page again
    with what they typed and why."""
    period = result_selectors.period_get_for_results(user=request.user, code=code)
    member = get_roles(request.user).member
    if member is None:
        raise Http404
    form = ObjectionFileForm(request.POST)
    if form.is_valid():
        try:
            services.objection_file(actor=request.user, period_id=period.pk, reason=form.cleaned_data["reason"])
        except AssessmentError as exc:  # the window has ended, one is filed already: nothing to retype
            messages.error(request, exc.message)
            return redirect(reverse("assessment:result_mine", args=[period.code]) + "#objection")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your objection was filed. The branch committee will rule on it."))
            return redirect(reverse("assessment:result_mine", args=[period.code]) + "#objection")
    from .results import _member_result  # the result page imports this module's objection_box

    return _member_result(request, period, member, own=True, objection_form=form)


@login_required
def objection_list(request: HttpRequest) -> HttpResponse:
    """A period's objections: the branch committee's branch, every branch for administrators
    (filtered by branch), by state, with how many are in each."""
    roles = get_roles(request.user)
    if not selectors.may_see_list(roles):
        raise PermissionDenied
    filters = ObjectionFilterForm(request.GET).values
    period = selectors.objection_period(code=request.GET.get("period"))
    context: dict = {"period": period, "periods": selectors.objection_periods(), "state": filters["state"]}
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=request.user)
        branch = branches.filter(pk=filters["branch"]).first() if filters["branch"] else None
        context["branches"] = branches
    else:
        if filters["branch"] not in (None, roles.committee_branch_id):
            raise Http404
        branch = roles.member.branch
    context.update(branch=branch, query=query_without(request), state_query=query_without(request, "state"))
    if period is not None:
        branch_id = branch.pk if branch is not None else None
        counts = selectors.objection_counts(period=period, branch_id=branch_id)
        context.update(
            page=paginate(
                request,
                selectors.objection_list(period=period, branch_id=branch_id, state=filters["state"]),
                per_page=LIST_PAGE,
            ),
            state_rows=[(state, label, counts[state]) for state, label in Objection.State.choices],
            total=sum(counts.values()),
        )
    return render(request, "assessment/objection_list.html", context)


def _read_only_reason(roles: Roles, objection: Objection) -> str:
    if not objection.is_open:
        return ""
    if objection.period.state != Period.State.PUBLISHED:
        return _("The results of this period are final: nothing can change.")
    if roles.member is not None and roles.member.pk == objection.member_id:
        return _(
            "This is your own objection: another member of the branch committee rules on it "
            "(the administrator where there is none)."
        )
    if roles.is_admin:
        return _("The member's branch committee rules on this objection; administrators follow it here.")
    return _("Only the member's branch committee rules on this objection.")


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One objection with the member's current result; those who may rule on it do so here."""
    objection = selectors.objection_get_for_user(user=request.user, pk=pk)
    period = objection.period
    roles = get_roles(request.user)
    url = reverse("assessment:objection_detail", args=[objection.pk])
    result = result_selectors.result_for_member(period=period, member_id=objection.member_id)
    context = {
        "objection": objection,
        "period": period,
        "result": result,
        "branch_count": (
            result_selectors.branch_result_count(period=period, branch_id=result.branch_id) if result else 0
        ),
    }
    can_rule = (
        objection.is_open
        and period.state == Period.State.PUBLISHED
        and services.may_rule(actor=request.user, objection=objection)
    )
    if not can_rule:
        reason = _read_only_reason(roles, objection)
        if request.method == "POST":
            messages.error(request, reason or _("This objection has already been ruled on."))
            return redirect(url)
        return render(request, "assessment/objection_detail.html", {**context, "read_only_reason": reason})
    form = ObjectionRuleForm(
        request.POST if request.method == "POST" else None,
        items=rubric_items(period),
        ratings=services.ratings_to_rule_on(objection=objection),
        initial_scores=selectors.org_rating_scores(objection=objection),
        initial={"version": objection.version},
    )
    return form_action(
        request,
        form,
        lambda data: services.objection_rule(actor=request.user, objection_id=objection.pk, **form.ruling_args()),
        template="assessment/objection_detail.html",
        context=context,
        success_url=url,
        success_message=lambda o: (
            _("The objection was upheld and %(name)s's result recomputed.") % {"name": objection.member.name}
            if o.state == Objection.State.UPHELD
            else _("The objection was rejected.")
        ),
    )
