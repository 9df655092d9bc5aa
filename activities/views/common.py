"""What the pages of the activities app share: who may open a list, the branches and
groups a list may be filtered by, the filters bound to the query, the branch a new
record is made in, and the query a pager keeps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from members import selectors as member_selectors
from members.models import Branch, Member, PartyGroup
from members.roles import Roles, get_roles

from ..forms.common import BranchChoiceForm, ListFilterForm


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


def list_filters(request: HttpRequest, form_class: type[ListFilterForm], **kwargs) -> tuple[Roles, ListFilterForm]:
    """The user's roles and the list's filters bound to the query; a list is for members
    and administrators only."""
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    branches, groups = filter_choices(request, roles)
    return roles, form_class(request.GET, branches=branches, groups=groups, **kwargs)


def query_without_page(request: HttpRequest) -> str:
    """The query of a list, for its pager's links to add their page to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def own_page(request: HttpRequest, list_name: str, member_page_name: str) -> HttpResponse:
    """A member's "mine" link: their own page; an administrator without a roster entry: the list."""
    roles = get_roles(request.user)
    if roles.member is None:
        require_member_or_admin(roles)
        return redirect(list_name)
    return redirect(member_page_name, member_pk=roles.member.pk)


def branch_to_work_in(request: HttpRequest) -> Branch | None:
    """The branch a new record is made in: the committee's own; for an administrator the
    one in ``?branch=`` (None until one is chosen); anyone else may not make one."""
    roles = get_roles(request.user)
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


def branch_choice(request: HttpRequest, template: str, **context) -> HttpResponse:
    """The page where an administrator picks the branch to work in first."""
    form = BranchChoiceForm(branches=member_selectors.branch_list_for_user(user=request.user))
    return render(request, template, {"form": form, **context})


def another_or(request: HttpRequest, again: str, then_url: str, **kwargs) -> str:
    """Where a create form goes once saved: the form (URL name ``again`` with ``kwargs``)
    again after "save and add another", ``then_url`` otherwise."""
    return reverse(again, kwargs=kwargs) if "another" in request.POST else then_url


def is_self(request: HttpRequest, member: Member) -> bool:
    """Whether the page is about the user's own roster entry."""
    me = get_roles(request.user).member
    return me is not None and me.pk == member.pk
