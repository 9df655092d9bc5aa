"""Pioneer posts and four-bests recognitions: the lists, designating, changing and ending a
pioneer post, recording and withdrawing recognitions, and a member's page with both.

Every page with an id first finds the record through a scoped selector, so an id
outside the user's scope answers 404; an id in scope that the user may not change
answers 403.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Branch, Member, PartyGroup
from members.roles import Roles, get_roles
from partybuild.lib.forms import add_service_errors as add_errors
from partybuild.lib.pagination import paginate

from ..forms.posts import (
    BranchChoiceForm,
    PioneerPostEndForm,
    PioneerPostFilterForm,
    PioneerPostForm,
    RecognitionFilterForm,
    RecognitionForm,
    branch_members,
)
from ..models import PioneerPost, Recognition
from ..selectors import posts as selectors
from ..services import ActivityError
from ..services import posts as services


def require_member_or_admin(roles: Roles) -> None:
    """A masses rater rates members and does nothing else."""
    if not (roles.is_admin or roles.is_member):
        raise PermissionDenied


def filter_choices(request: HttpRequest, roles: Roles) -> tuple[QuerySet[Branch] | None, QuerySet[PartyGroup] | None]:
    """The branches and groups a list may be filtered by, within the user's scope.

    An administrator picks a branch first, then one of its groups; the committee
    picks among its branch's groups; a group leader among the groups they lead.
    """
    groups = member_selectors.group_list_for_user(user=request.user).order_by("sort_order", "name")
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=request.user)
        branch_id = request.GET.get("branch", "")
        return branches, groups.filter(branch_id=branch_id) if branch_id.isdigit() else None
    if roles.committee_branch_id is not None:
        return None, groups.filter(branch_id=roles.committee_branch_id)
    if roles.led_group_ids:
        return None, groups.filter(pk__in=roles.led_group_ids)
    return None, None


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def branch_for_new_record(request: HttpRequest) -> Branch | None:
    """The branch a designation or recognition is recorded in; None when an administrator must pick one.

    ``?member=`` (a member the user may see) fixes the branch; an administrator may
    also pass ``?branch=``; the committee always works in its own branch.
    """
    roles = get_roles(request.user)
    member_id = request.GET.get("member", "")
    if member_id:
        member = member_selectors.member_get_for_user(user=request.user, pk=member_id)
        if not services.posts_can_manage(actor=request.user, branch_id=member.branch_id):
            raise PermissionDenied
        return member.branch
    if roles.is_admin:
        branch_id = request.GET.get("branch", "")
        if not branch_id.isdigit():
            return None
        branch = member_selectors.branch_list_for_user(user=request.user).filter(pk=branch_id).first()
        if branch is None:
            raise Http404
        return branch
    if roles.committee_branch_id is not None:
        return roles.member.branch
    raise PermissionDenied


def _initial_member(request: HttpRequest, members: QuerySet[Member]) -> Member | None:
    member_id = request.GET.get("member", "")
    if not member_id:
        return None
    member = members.filter(pk=member_id).first() if member_id.isdigit() else None
    if member is None:
        raise Http404
    return member


def _with_state(posts, today):
    for post in posts:
        post.state = post.state_on(today)
    return posts


# ---------------------------------------------------------------------------
# Pioneer posts


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    today = timezone.localdate()
    posts = selectors.pioneer_post_list_for_user(user=request.user)
    branches, groups = filter_choices(request, roles)
    filters = PioneerPostFilterForm(
        request.GET,
        branches=branches,
        groups=groups,
        years=selectors.years_of(posts, "starts_on", today=today),
    )
    values = filters.values()
    state = values.pop("state") or None
    posts = selectors.pioneer_post_filter(
        posts,
        today=today,
        branch_id=values.get("branch"),
        group_id=values.get("group"),
        member=values.get("member") or "",
        year=values.get("year"),
        kind=values.get("kind") or None,
    )
    counts = selectors.pioneer_post_counts(posts, today=today)
    if state:
        posts = posts.filter(selectors.state_q(state, today=today))
    page = paginate(request, posts.order_by("-starts_on", "-pk"))
    _with_state(page.object_list, today)
    return render(
        request,
        "activities/post_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "counts": counts,
            "can_create": roles.is_admin or roles.is_committee,
            "roles": roles,
            "today": today,
        },
    )


@login_required
def post_mine(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if roles.member is None:
        require_member_or_admin(roles)
        return redirect("activities:post_list")
    return redirect("activities:post_member", member_pk=roles.member.pk)


@login_required
def post_member(request: HttpRequest, member_pk: int) -> HttpResponse:
    """A member's pioneer posts and four-bests recognitions."""
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    today = timezone.localdate()
    roles = get_roles(request.user)
    return render(
        request,
        "activities/post_member.html",
        {
            "member": member,
            "detail": selectors.member_posts(user=request.user, member=member, today=today),
            "can_manage": member.is_active
            and services.posts_can_manage(actor=request.user, branch_id=member.branch_id),
            "is_self": roles.member is not None and roles.member.pk == member.pk,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    branch = branch_for_new_record(request)
    if branch is None:
        form = BranchChoiceForm(branches=member_selectors.branch_list_for_user(user=request.user))
        return render(request, "activities/post_branch_choice.html", {"form": form, "what": "post"})
    today = timezone.localdate()
    members = branch_members(branch)
    initial_member = _initial_member(request, members)
    form = PioneerPostForm(
        request.POST or None,
        members=members,
        today=today,
        initial={"member": initial_member.pk} if initial_member else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.pioneer_post_designate(
                actor=request.user,
                member_id=data["member"].pk,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                post_name=data["post_name"],
                standards=data["standards"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The post of %(name)s is now a %(kind)s.")
                % {"name": post.member.name, "kind": post.get_kind_display()},
            )
            return redirect("activities:post_detail", pk=post.pk)
    return render(
        request,
        "activities/post_form.html",
        {"form": form, "post": None, "branch": branch, "member": initial_member},
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.pioneer_post_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    post.state = post.state_on(today)
    can_manage = services.posts_can_manage(actor=request.user, branch_id=post.branch_id)
    return render(
        request,
        "activities/post_detail.html",
        {
            "post": post,
            "can_manage": can_manage,
            "can_end": can_manage and not post.ended_early and post.ends_on > post.starts_on,
            "today": today,
        },
    )


def _post_for_manage(request: HttpRequest, pk: int) -> PioneerPost:
    post = selectors.pioneer_post_get_for_user(user=request.user, pk=pk)
    if not services.posts_can_manage(actor=request.user, branch_id=post.branch_id):
        raise PermissionDenied
    return post


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_manage(request, pk)
    if post.ended_early:
        messages.error(request, _("This designation was ended early; it can no longer be changed."))
        return redirect("activities:post_detail", pk=post.pk)
    # The form fills its instance while validating; keep the page's own copy intact.
    form = PioneerPostForm(request.POST or None, instance=copy.copy(post), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pioneer_post_update(
                actor=request.user,
                post_id=post.pk,
                version=data["version"] or 0,
                kind=data["kind"],
                post_name=data["post_name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                standards=data["standards"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The pioneer post was saved."))
            return redirect("activities:post_detail", pk=post.pk)
    return render(
        request,
        "activities/post_form.html",
        {"form": form, "post": post, "branch": post.branch, "member": post.member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_manage(request, pk)
    today = timezone.localdate()
    form = PioneerPostEndForm(request.POST or None, initial={"ended_on": min(today, post.ends_on)})
    if request.method == "POST" and form.is_valid():
        try:
            services.pioneer_post_end(
                actor=request.user,
                post_id=post.pk,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The designation was ended."))
            return redirect("activities:post_detail", pk=post.pk)
    return render(request, "activities/post_end.html", {"post": post, "form": form})


# ---------------------------------------------------------------------------
# Four-bests recognitions


@login_required
def post_recognition_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    today = timezone.localdate()
    recognitions = selectors.recognition_list_for_user(user=request.user)
    branches, groups = filter_choices(request, roles)
    filters = RecognitionFilterForm(
        request.GET,
        branches=branches,
        groups=groups,
        years=selectors.years_of(recognitions, "year", today=today),
    )
    values = filters.values()
    best = values.pop("best") or None
    recognitions = selectors.recognition_filter(
        recognitions,
        branch_id=values.get("branch"),
        group_id=values.get("group"),
        member=values.get("member") or "",
        year=values.get("year"),
        quarter=values.get("quarter"),
    )
    counts = selectors.recognition_counts(recognitions)
    if best:
        recognitions = recognitions.filter(best=best)
    page = paginate(request, recognitions.order_by("-awarded_on", "-pk"))
    return render(
        request,
        "activities/post_recognition_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "count_rows": [(key, label, counts[key]) for key, label in Recognition.Best.choices],
            "best": best,
            "can_create": roles.is_admin or roles.is_committee,
            "roles": roles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_recognition_create(request: HttpRequest) -> HttpResponse:
    branch = branch_for_new_record(request)
    if branch is None:
        form = BranchChoiceForm(branches=member_selectors.branch_list_for_user(user=request.user))
        return render(request, "activities/post_branch_choice.html", {"form": form, "what": "recognition"})
    today = timezone.localdate()
    members = branch_members(branch)
    initial_member = _initial_member(request, members)
    form = RecognitionForm(
        request.POST or None,
        members=members,
        today=today,
        initial={"member": initial_member.pk} if initial_member else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recognition = services.recognition_record(
                actor=request.user,
                member_id=data["member"].pk,
                best=data["best"],
                year=data["year"],
                quarter=data["quarter"],
                awarded_on=data["awarded_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(best)s” was recorded for %(name)s.")
                % {"best": recognition.get_best_display(), "name": recognition.member.name},
            )
            if "another" in request.POST:
                return redirect(f"{request.path}?branch={branch.pk}")
            return redirect("activities:post_member", member_pk=recognition.member_id)
    return render(
        request,
        "activities/post_recognition_form.html",
        {"form": form, "branch": branch, "member": initial_member},
    )


@login_required
@require_POST
def post_recognition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    if not services.posts_can_manage(actor=request.user, branch_id=recognition.branch_id):
        raise PermissionDenied
    services.recognition_withdraw(actor=request.user, recognition_id=recognition.pk)
    messages.success(
        request,
        _("“%(best)s” of %(name)s was withdrawn.")
        % {"best": recognition.get_best_display(), "name": recognition.member.name},
    )
    return redirect("activities:post_member", member_pk=recognition.member_id)
