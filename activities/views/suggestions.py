"""Suggestion forms (建议说明表): the member's own list with their yearly count, the
scoped list with filters, the handler's queue by age, and the suggestion with its
thread. Every page with an id first finds the suggestion through the scoped
selector, so a suggestion outside the user's scope answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.forms import add_service_errors as _add_errors
from partybuild.lib.pagination import paginate

from ..forms.suggestions import SuggestionFilterForm, SuggestionForm, ThreadForm
from ..models import Suggestion
from ..selectors import suggestions as selectors
from ..services import ActivityError
from ..services import suggestions as services

CONTENT_FIELDS = ["title", "situation", "problem", "suggestion"]

DONE_MESSAGES = {
    "withdraw": gettext_lazy("The suggestion was withdrawn."),
    "comment": gettext_lazy("Your note was added to the thread."),
    "acknowledge": gettext_lazy("The suggestion was acknowledged."),
    "reply": gettext_lazy("The reply was added to the thread."),
    "escalate": gettext_lazy("The suggestion was passed up to the company."),
    "close": gettext_lazy("The suggestion was closed."),
}


@dataclass(frozen=True)
class ActionUI:
    label: str
    button: str  # Bootstrap button colour
    placeholder: str
    needs_text: bool


ACTION_UI = {
    "acknowledge": ActionUI(
        gettext_lazy("Acknowledge"), "primary", gettext_lazy("Optional: a word to the member."), False
    ),
    "reply": ActionUI(gettext_lazy("Reply"), "primary", gettext_lazy("Your answer to the member."), True),
    "comment": ActionUI(
        gettext_lazy("Add a note"), "primary", gettext_lazy("More about the situation, or how it stands now."), True
    ),
    "escalate": ActionUI(
        gettext_lazy("Pass up to the company"),
        "warning",
        gettext_lazy("Why the branch cannot settle it, and what it has done so far."),
        True,
    ),
    "close": ActionUI(
        gettext_lazy("Close"), "success", gettext_lazy("The conclusion: what was done or decided."), True
    ),
    "withdraw": ActionUI(
        gettext_lazy("Withdraw"), "outline-secondary", gettext_lazy("Optional: why you withdraw it."), False
    ),
}


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_age(rows, today):
    for row in rows:
        end = timezone.localdate(row.closed_at) if row.closed_at else today
        row.days_open = (end - timezone.localdate(row.created_at)).days
    return rows


@login_required
def suggestion_mine(request: HttpRequest) -> HttpResponse:
    """The member's own suggestions, with how many they wrote each year."""
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    mine = selectors.suggestion_list_for_user(user=request.user).filter(member=roles.member)
    filters = SuggestionFilterForm(
        request.GET, branches=None, groups=None, years=selectors.suggestion_years(mine), with_member=False
    )
    page = paginate(request, selectors.suggestion_filter(mine, filters.filters()))
    _with_age(page.object_list, timezone.localdate())
    year_counts = selectors.suggestion_counts_by_year(member_id=roles.member.pk)
    this_year = timezone.localdate().year
    return render(
        request,
        "activities/suggestion_mine.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(request),
            "year_counts": year_counts,
            "this_year": this_year,
            "this_year_count": next((c.total for c in year_counts if c.year == this_year), 0),
        },
    )


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """Every suggestion the user may see: a leader's group's, the branch's, or all."""
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_committee or roles.is_group_leader):
        if roles.member is not None:
            return redirect("activities:suggestion_mine")
        raise PermissionDenied
    visible = selectors.suggestion_list_for_user(user=request.user)
    branches = member_selectors.branch_list_for_user(user=request.user) if roles.is_admin else None
    groups = member_selectors.group_list_for_user(user=request.user)
    if not roles.is_admin and roles.committee_branch_id is None:
        groups = groups.filter(pk__in=roles.led_group_ids)
    filters = SuggestionFilterForm(
        request.GET, branches=branches, groups=groups, years=selectors.suggestion_years(visible)
    )
    page = paginate(request, selectors.suggestion_filter(visible, filters.filters()))
    _with_age(page.object_list, timezone.localdate())
    return render(
        request,
        "activities/suggestion_list.html",
        {"page": page, "filters": filters, "query": _query(request), "show_branch": roles.is_admin},
    )


@login_required
def suggestion_queue(request: HttpRequest) -> HttpResponse:
    """Open suggestions waiting for the branch (or, for administrators, the company), oldest first."""
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_committee):
        raise PermissionDenied
    page = paginate(request, selectors.suggestions_waiting_for_user(user=request.user), per_page=50)
    _with_age(page.object_list, timezone.localdate())
    return render(
        request,
        "activities/suggestion_queue.html",
        {"page": page, "query": _query(request), "show_branch": roles.is_admin, "is_committee": roles.is_committee},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    if get_roles(request.user).member is None:
        raise PermissionDenied
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_submit(
                actor=request.user, **{name: form.cleaned_data[name] for name in CONTENT_FIELDS}
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your suggestion was handed to the branch."))
            return redirect("activities:suggestion_detail", pk=suggestion.pk)
    return render(request, "activities/suggestion_form.html", {"form": form, "suggestion": None})


def _detail_context(request: HttpRequest, suggestion: Suggestion, *, form: ThreadForm | None = None, action=""):
    actions = services.allowed_actions(actor=request.user, suggestion=suggestion)
    action_forms = [
        (
            name,
            ACTION_UI[name],
            form if name == action else ThreadForm(prefix=name, initial={"version": suggestion.version}),
        )
        for name in services.ACTIONS
        if name in actions and name in ACTION_UI
    ]
    _with_age([suggestion], timezone.localdate())
    return {
        "suggestion": suggestion,
        "thread": list(selectors.suggestion_thread(suggestion)),
        "actions": actions,
        "action_forms": action_forms,
        "failed_action": action,
        "is_author": suggestion.member.user_id == request.user.pk,
    }


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_user(user=request.user, pk=pk)
    return render(request, "activities/suggestion_detail.html", _detail_context(request, suggestion))


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_user(user=request.user, pk=pk)
    if "edit" not in services.allowed_actions(actor=request.user, suggestion=suggestion):
        if suggestion.member.user_id != request.user.pk:
            raise PermissionDenied
        messages.info(request, _("The branch has taken up this suggestion; add a note to the thread instead."))
        return redirect("activities:suggestion_detail", pk=suggestion.pk)
    form = SuggestionForm(
        request.POST or None,
        initial={"version": suggestion.version},
        instance=Suggestion(**{name: getattr(suggestion, name) for name in CONTENT_FIELDS}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_edit(
                actor=request.user,
                suggestion_id=suggestion.pk,
                version=form.cleaned_data["version"] or 0,
                **{name: form.cleaned_data[name] for name in CONTENT_FIELDS},
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your suggestion was saved."))
            return redirect("activities:suggestion_detail", pk=suggestion.pk)
    return render(request, "activities/suggestion_form.html", {"form": form, "suggestion": suggestion})


@login_required
@require_POST
def suggestion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One move on the thread (withdraw, note, acknowledge, reply, pass up, close)."""
    service = services.THREAD_SERVICES.get(action)
    if service is None:
        raise Http404
    suggestion = selectors.suggestion_get_for_user(user=request.user, pk=pk)
    form = ThreadForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(
                actor=request.user,
                suggestion_id=suggestion.pk,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except ActivityError as exc:
            messages.error(request, exc.message)
            return redirect("activities:suggestion_detail", pk=suggestion.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect("activities:suggestion_detail", pk=suggestion.pk)
    return render(
        request,
        "activities/suggestion_detail.html",
        _detail_context(request, suggestion, form=form, action=action),
        status=400,
    )
