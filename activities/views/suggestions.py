"""Suggestion forms (建议说明表): the member's own list with their yearly count, the
scoped list with filters, the handler's queue by age, and the suggestion with its
thread. Every page with an id first finds the suggestion through the scoped
selector, so a suggestion outside the user's scope answers 404."""

from __future__ import annotations

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
from partybuild.lib.actions import form_action
from partybuild.lib.forms import add_service_errors
from partybuild.lib.pagination import paginate, query_without_page

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
    mine = selectors.suggestion_list_of_member(user=request.user, member=roles.member)
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
            "query": query_without_page(request),
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
    groups = selectors.group_choices_for_user(user=request.user)
    filters = SuggestionFilterForm(
        request.GET, branches=branches, groups=groups, years=selectors.suggestion_years(visible)
    )
    page = paginate(request, selectors.suggestion_filter(visible, filters.filters()))
    _with_age(page.object_list, timezone.localdate())
    return render(
        request,
        "activities/suggestion_list.html",
        {"page": page, "filters": filters, "query": query_without_page(request), "show_branch": roles.is_admin},
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
        {
            "page": page,
            "query": query_without_page(request),
            "show_branch": roles.is_admin,
            "is_committee": roles.is_committee,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    if get_roles(request.user).member is None:
        raise PermissionDenied
    return form_action(
        request,
        SuggestionForm(request.POST or None),
        lambda data: services.suggestion_submit(actor=request.user, **{name: data[name] for name in CONTENT_FIELDS}),
        template="activities/suggestion_form.html",
        context={"suggestion": None},
        success_message=_("Your suggestion was handed to the branch."),
    )


def _detail_context(request: HttpRequest, suggestion: Suggestion, *, form: ThreadForm | None = None, action=""):
    actions = services.allowed_actions(actor=request.user, suggestion=suggestion)
    action_forms = [
        (
            name,
            form if name == action else ThreadForm(prefix=name, initial={"version": suggestion.version}),
            name in services.TEXT_REQUIRED,
        )
        for name in services.THREAD_SERVICES
        if name in actions
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
        return redirect(suggestion)
    form = SuggestionForm(
        request.POST or None,
        initial={"version": suggestion.version},
        instance=Suggestion(**{name: getattr(suggestion, name) for name in CONTENT_FIELDS}),
    )
    return form_action(
        request,
        form,
        lambda data: services.suggestion_edit(
            actor=request.user,
            suggestion_id=suggestion.pk,
            version=data["version"] or 0,
            **{name: data[name] for name in CONTENT_FIELDS},
        ),
        template="activities/suggestion_form.html",
        context={"suggestion": suggestion},
        success_message=_("Your suggestion was saved."),
    )


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
            return redirect(suggestion)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect(suggestion)
    return render(
        request,
        "activities/suggestion_detail.html",
        _detail_context(request, suggestion, form=form, action=action),
        status=400,
    )
