"""Period and rubric administration, for administrators only.

Each action is a POST that calls one existing service and turns its refusal into a
message; publishing asks for confirmation first because it shows the results to
every member and opens follow-up talks.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action
from partybuild.lib.dates import add_working_days
from partybuild.lib.errors import DomainError
from partybuild.lib.forms import add_service_errors
from partybuild.lib.pagination import paginate

from ..forms.periods import FinalizeForm, PeriodForm, PublishForm, RubricCopyForm
from ..forms.rubrics import RubricEditor
from ..models import MAX_PUBLICITY_DAYS, Objection, Period
from ..selectors import objections as objection_selectors
from ..selectors import publicity as publicity_selectors
from ..selectors import results as selectors
from ..services import objections as objection_services
from ..services import periods as period_services
from ..services import results as result_services


def _require_admin(request: HttpRequest) -> None:
    if not get_roles(request.user).is_admin:
        raise PermissionDenied


def _overview_context(period: Period) -> dict:
    overview = selectors.period_overview(period=period)
    return {
        "overview": overview,
        "flag_rows": [(flag, overview.flags[flag]) for flag in selectors.FLAGS],
        "rating_rows": list(overview.ratings.items()),
    }


def _summary_text(summary) -> str:
    flags = {flag: summary.flags.get(flag, 0) for flag in selectors.FLAGS}
    return _("%(members)s members: %(red)s red, %(yellow)s yellow, %(blue)s blue and %(grey)s grey flags.") % {
        "members": summary.members,
        **flags,
    }


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    page = paginate(request, selectors.period_list(), per_page=20)
    return render(request, "assessment/period_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PeriodForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda data: period_services.period_create(actor=request.user, data=form.period_data()),
        template="assessment/period_form.html",
        context={"period": None},
        success_message=lambda period: _("The period %(code)s was created.") % {"code": period.code},
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    period = selectors.period_get(pk=pk)
    return render(
        request,
        "assessment/period_detail.html",
        {
            "period": period,
            **_overview_context(period),
            "weights": selectors.weight_rows(period),
            "branches": member_selectors.branch_list_for_user(user=request.user),
            "State": Period.State,
            **_publicity_context(period),
        },
    )


# How many steps of its history the period's page shows; the history page shows them all.
TIMELINE_SHOWN = 15


def _publicity_context(period: Period) -> dict:
    """The publicity window, the objections by state and the latest steps, for the period's page."""
    if not period.is_published:
        context: dict = {}
    else:
        objections = objection_selectors.objection_counts(period=period)
        context = {
            "objections": objections,
            "objection_rows": [(state, label, objections[state]) for state, label in Objection.State.choices],
            "objections_open": objections[Objection.State.OPEN],
            "window_open": period.objections_open_on(timezone.localdate()),
            "finalize_form": FinalizeForm(),
        }
    timeline = publicity_selectors.period_timeline(period, limit=TIMELINE_SHOWN)
    return {**context, "timeline": timeline[:TIMELINE_SHOWN], "timeline_more": len(timeline) > TIMELINE_SHOWN}


@login_required
def period_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every step of the period and its objections (who, when, what), newest first."""
    _require_admin(request)
    period = selectors.period_get(pk=pk)
    page = paginate(request, publicity_selectors.period_timeline(period), per_page=50)
    return render(request, "assessment/period_history.html", {"period": period, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    period = selectors.period_get(pk=pk)
    if period.is_published:
        messages.error(request, _("A published period cannot be changed."))
        return redirect(period)
    # The form writes its values into the instance while validating; keep the page's own copy intact.
    form = PeriodForm(request.POST or None, instance=copy.copy(period))
    return form_action(
        request,
        form,
        lambda data: period_services.period_update(
            actor=request.user, period_id=period.pk, version=data["version"] or 0, data=form.period_data()
        ),
        template="assessment/period_form.html",
        context={"period": period},
        success_url=period,
        success_message=_("The period was saved."),
    )


def _period_button(request: HttpRequest, pk: int, perform, message) -> HttpResponse:
    """A button on the period's page: ``perform(period)`` calls one service; ``message``
    says what it did, from the period and the service's result."""
    _require_admin(request)
    period = selectors.period_get(pk=pk)
    return button_action(
        request,
        lambda: perform(period),
        success_url=period,
        success_message=lambda result: message(period, result),
    )


@login_required
@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_button(
        request,
        pk,
        lambda period: period_services.period_open(actor=request.user, period_id=period.pk),
        lambda period, _result: _("Rating is open for %(name)s.") % {"name": period.name},
    )


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_button(
        request,
        pk,
        lambda period: period_services.period_close(actor=request.user, period_id=period.pk),
        lambda period, _result: (
            _("Rating is closed for %(name)s; every one-time link has stopped working.") % {"name": period.name}
        ),
    )


@login_required
@require_POST
def period_compute(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_button(
        request,
        pk,
        lambda period: result_services.results_compute(actor=request.user, period_id=period.pk),
        lambda _period, summary: (
            _("Results computed (not yet published): %(summary)s") % {"summary": _summary_text(summary)}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first; publishing shows results to every member, opens follow-up talks and
    opens the publicity window, whose working days the administrator sets here (the
    page shows the day it would end, and static/js/publicity.js as the number changes)."""
    _require_admin(request)
    period = selectors.period_get(pk=pk)
    can_publish = period.state == Period.State.CLOSED
    # Bound on every POST, an empty one too (the days field may be left out: the period's own).
    form = PublishForm(request.POST if request.method == "POST" else None, initial={"days": period.publicity_days})
    valid = form.is_bound and form.is_valid()
    days = (form.cleaned_data["days"] if valid else None) or period.publicity_days
    if request.method == "POST" and (valid or not can_publish):
        # Refused (not closed, already published): a message on the period's page.
        return button_action(
            request,
            lambda: result_services.results_publish(actor=request.user, period_id=period.pk, days=days),
            success_url=period,
            success_message=lambda published: (
                _("Results published: %(summary)s %(talks)s follow-up talks opened.")
                % {"summary": _summary_text(published[0]), "talks": published[1]}
                + " "
                + _("Members may object until %(day)s.")
                % {"day": date_format(add_working_days(timezone.localdate(), days), "DATE_FORMAT")}
            ),
        )
    return render(
        request,
        "assessment/period_publish_confirm.html",
        {
            "period": period,
            **_overview_context(period),
            "can_publish": can_publish,
            "form": form,
            "days": days,
            "window_ends_on": add_working_days(timezone.localdate(), days),
            "window_ends": _window_ends(),
        },
    )


def _window_ends() -> dict[int, str]:
    """The day a window published today would end, for each number of days the form takes."""
    today = timezone.localdate()
    ends = {}
    for days in range(1, MAX_PUBLICITY_DAYS + 1):
        end = add_working_days(today, days)
        ends[days] = f"{date_format(end, 'DATE_FORMAT')} ({date_format(end, 'l')})"
    return ends


@login_required
@require_POST
def period_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    """End the publicity window: refused while an objection awaits a ruling, and before
    the window's last day has passed unless the administrator ticked that members can no
    longer object (early)."""
    form = FinalizeForm(request.POST)
    early = form.is_valid() and form.cleaned_data["early"]
    return _period_button(
        request,
        pk,
        lambda period: objection_services.results_finalize(actor=request.user, period_id=period.pk, early=early),
        lambda period, _result: _("The results of %(name)s are final.") % {"name": period.name},
    )


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    page = paginate(request, selectors.rubric_list(), per_page=20)
    return render(request, "assessment/period_rubric_list.html", {"page": page})


@login_required
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    rubric = selectors.rubric_get(pk=pk)
    return render(
        request,
        "assessment/period_rubric_detail.html",
        {
            "rubric": rubric,
            "areas": selectors.rubric_areas(rubric=rubric),
            "periods": rubric.periods.order_by("-starts_on")[:20],
            "full_marks": period_services.FULL_MARKS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_copy(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    rubric = selectors.rubric_get(pk=pk)
    form = RubricCopyForm(request.POST or None, initial={"name": _("%(name)s (copy)") % {"name": rubric.name}})
    return form_action(
        request,
        form,
        lambda data: period_services.rubric_copy(actor=request.user, rubric_id=rubric.pk, name=data["name"]),
        template="assessment/period_rubric_copy.html",
        context={"rubric": rubric},
        success_message=_("The rubric was copied; the copy can be edited."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole rubric on one page; the maxima's total is shown as they are typed
    (partybuild.js) and checked against 100 by the service when saved."""
    _require_admin(request)
    rubric = selectors.rubric_get(pk=pk)
    if rubric.frozen:
        messages.error(request, _("This rubric is in use by a period that has opened; copy it to make changes."))
        return redirect(rubric)
    # The forms write what was typed into their instances while validating: the page
    # keeps its own copy of the rubric for its title.
    editor = RubricEditor(copy.copy(rubric), list(rubric.areas.order_by("position", "code")), request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            period_services.rubric_update(actor=request.user, rubric_id=rubric.pk, data=editor.rubric_data())
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, DomainError):
                editor.form.add_error(None, exc.message)
            else:
                add_service_errors(editor.form, exc)
        else:
            messages.success(request, _("The rubric was saved."))
            return redirect(rubric)
    return render(
        request,
        "assessment/period_rubric_form.html",
        {"rubric": rubric, "editor": editor, "full_marks": period_services.FULL_MARKS},
    )
