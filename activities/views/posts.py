"""Pioneer posts and four-bests recognitions: the lists, designating, changing and ending a
pioneer post, recording and withdrawing recognitions, and a member's page with both.

Every page with an id first finds the record through a scoped selector, so an id
outside the user's scope answers 404; an id in scope that the user may not change
answers 403.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Branch, Member
from partybuild.lib.actions import button_action, form_action
from partybuild.lib.pagination import paginate, query_without_page

from ..forms.posts import (
    PioneerPostEndForm,
    PioneerPostFilterForm,
    PioneerPostForm,
    RecognitionFilterForm,
    RecognitionForm,
)
from ..models import PioneerPost, Recognition
from ..selectors import posts as selectors
from ..selectors.members import branch_members_on_roll
from ..services import posts as services
from .common import branch_choice, is_self, list_filters, own_page


def _branch_for_new_record(request: HttpRequest) -> Branch | None:
    """The branch a designation or recognition is recorded in; None when an administrator must pick one.

    ``?member=`` (a member the user may see and manage) fixes the branch; otherwise
    the committee's own branch, or the one an administrator passes in ``?branch=``.
    """
    member_id = request.GET.get("member", "")
    if member_id:
        member = member_selectors.member_get_for_user(user=request.user, pk=member_id)
        if not services.posts_can_manage(actor=request.user, branch_id=member.branch_id):
            raise PermissionDenied
        return member.branch
    return member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch"), pick_first=False
    )[0]


def _new_record_form(request: HttpRequest, form_class) -> tuple[Branch | None, Member | None, forms.Form | None]:
    """The branch, the member named in ``?member=`` (if any) and the bound form of a new
    designation or recognition; no branch (nor form) while an administrator must pick one."""
    branch = _branch_for_new_record(request)
    if branch is None:
        return None, None, None
    members = branch_members_on_roll(branch_id=branch.pk)
    member_id = request.GET.get("member", "")
    member = None
    if member_id:
        member = members.filter(pk=member_id).first() if member_id.isdigit() else None
        if member is None:
            raise Http404
    initial = {"member": member.pk} if member else None
    return (
        branch,
        member,
        form_class(request.POST or None, members=members, today=timezone.localdate(), initial=initial),
    )


def _of_member(data: dict, *names: str) -> dict:
    """A new record's form as its service takes it: the member's id and the named fields."""
    return {"member_id": data["member"].pk, **{name: data[name] for name in names}}


def _with_state(posts, today):
    for post in posts:
        post.state = post.state_on(today)
    return posts


def _member_posts_url(member_id: int) -> str:
    return reverse("activities:post_member", kwargs={"member_pk": member_id})


# ---------------------------------------------------------------------------
# Pioneer posts


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    posts = selectors.pioneer_post_list_for_user(user=request.user)
    roles, filters = list_filters(
        request, PioneerPostFilterForm, years=selectors.years_of(posts, "starts_on", today=today)
    )
    values = filters.values()
    posts = selectors.pioneer_post_filter(
        posts, today=today, **filters.scope(), year=values["year"], kind=values["kind"] or None
    )
    counts = selectors.pioneer_post_counts(posts, today=today)
    posts = selectors.pioneer_post_filter(posts, today=today, state=values["state"] or None)
    page = paginate(request, posts.order_by("-starts_on", "-pk"))
    _with_state(page.object_list, today)
    context = {"page": page, "filters": filters, "query": query_without_page(request), "counts": counts}
    context |= {"can_create": roles.is_admin or roles.is_committee, "roles": roles, "today": today}
    return render(request, "activities/post_list.html", context)


@login_required
def post_mine(request: HttpRequest) -> HttpResponse:
    return own_page(request, "activities:post_list", "activities:post_member")


@login_required
def post_member(request: HttpRequest, member_pk: int) -> HttpResponse:
    """A member's pioneer posts and four-bests recognitions."""
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    today = timezone.localdate()
    return render(
        request,
        "activities/post_member.html",
        {
            "member": member,
            "detail": selectors.member_posts(user=request.user, member=member, today=today),
            "can_manage": member.is_active
            and services.posts_can_manage(actor=request.user, branch_id=member.branch_id),
            "is_self": is_self(request, member),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    branch, member, form = _new_record_form(request, PioneerPostForm)
    if branch is None:
        return branch_choice(request, "activities/post_branch_choice.html", what="post")
    fields = ("kind", "starts_on", "ends_on", "post_name", "standards")
    return form_action(
        request,
        form,
        lambda data: services.pioneer_post_designate(actor=request.user, **_of_member(data, *fields)),
        template="activities/post_form.html",
        context={"post": None, "branch": branch, "member": member},
        success_message=lambda post: (
            _("The post of %(name)s is now a %(kind)s.") % {"name": post.member.name, "kind": post.get_kind_display()}
        ),
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
        return redirect(post)
    # The form fills its instance while validating; keep the page's own copy intact.
    form = PioneerPostForm(request.POST or None, instance=copy.copy(post), today=timezone.localdate())
    return form_action(
        request,
        form,
        lambda data: services.pioneer_post_update(
            actor=request.user,
            post_id=post.pk,
            version=data["version"] or 0,
            **{name: data[name] for name in ("kind", "post_name", "starts_on", "ends_on", "standards")},
        ),
        template="activities/post_form.html",
        context={"post": post, "branch": post.branch, "member": post.member},
        success_message=_("The pioneer post was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_manage(request, pk)
    form = PioneerPostEndForm(request.POST or None, initial={"ended_on": min(timezone.localdate(), post.ends_on)})
    return form_action(
        request,
        form,
        lambda data: services.pioneer_post_end(
            actor=request.user, post_id=post.pk, ended_on=data["ended_on"], reason=data["reason"]
        ),
        template="activities/post_end.html",
        context={"post": post},
        success_message=_("The designation was ended."),
    )


# ---------------------------------------------------------------------------
# Four-bests recognitions


@login_required
def post_recognition_list(request: HttpRequest) -> HttpResponse:
    recognitions = selectors.recognition_list_for_user(user=request.user)
    years = selectors.years_of(recognitions, "year", today=timezone.localdate())
    roles, filters = list_filters(request, RecognitionFilterForm, years=years)
    values = filters.values()
    recognitions = selectors.recognition_filter(
        recognitions, **filters.scope(), year=values["year"], quarter=values["quarter"]
    )
    counts = selectors.recognition_counts(recognitions)
    best = values["best"] or None
    recognitions = selectors.recognition_filter(recognitions, best=best)
    page = paginate(request, recognitions.order_by("-awarded_on", "-pk"))
    context = {"page": page, "filters": filters, "query": query_without_page(request), "best": best}
    context |= {"count_rows": [(key, label, counts[key]) for key, label in Recognition.Best.choices]}
    context |= {"can_create": roles.is_admin or roles.is_committee, "roles": roles}
    return render(request, "activities/post_recognition_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_recognition_create(request: HttpRequest) -> HttpResponse:
    branch, member, form = _new_record_form(request, RecognitionForm)
    if branch is None:
        return branch_choice(request, "activities/post_branch_choice.html", what="recognition")
    fields = ("best", "year", "quarter", "awarded_on", "note")
    return form_action(
        request,
        form,
        lambda data: services.recognition_record(actor=request.user, **_of_member(data, *fields)),
        template="activities/post_recognition_form.html",
        context={"branch": branch, "member": member},
        success_url=lambda recognition: (
            f"{request.path}?branch={branch.pk}"
            if "another" in request.POST
            else _member_posts_url(recognition.member_id)
        ),
        success_message=lambda recognition: (
            _("“%(best)s” was recorded for %(name)s.")
            % {"best": recognition.get_best_display(), "name": recognition.member.name}
        ),
    )


@login_required
@require_POST
def post_recognition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    if not services.posts_can_manage(actor=request.user, branch_id=recognition.branch_id):
        raise PermissionDenied
    return button_action(
        request,
        lambda: services.recognition_withdraw(actor=request.user, recognition_id=recognition.pk),
        success_url=_member_posts_url(recognition.member_id),
        success_message=_("“%(best)s” of %(name)s was withdrawn.")
        % {"best": recognition.get_best_display(), "name": recognition.member.name},
    )
