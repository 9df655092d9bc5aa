"""What the pages of the activities app share: who may open a list, the filters bound to
the query, the page where an administrator picks the branch of a new record, the member's
own page and where a create form goes next. (The branch itself is members.selectors'
committee_branch_for_user; the query a pager keeps is partybuild.lib.pagination's.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from members import selectors as member_selectors
from members.models import Member
from members.roles import Roles, get_roles

from ..forms.common import BranchChoiceForm, ListFilterForm
from ..selectors.members import filter_choices_for_user


def require_member_or_admin(roles: Roles) -> None:
    """A masses rater rates members and does nothing else."""
    if not (roles.is_admin or roles.is_member):
        raise PermissionDenied


def list_filters(request: HttpRequest, form_class: type[ListFilterForm], **kwargs) -> tuple[Roles, ListFilterForm]:
    """The user's roles and the list's filters bound to the query; a list is for members
    and administrators only."""
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    branches, groups = filter_choices_for_user(user=request.user, branch_id=request.GET.get("branch", ""))
    return roles, form_class(request.GET, branches=branches, groups=groups, **kwargs)


def own_page(request: HttpRequest, list_name: str, member_page_name: str) -> HttpResponse:
    """A member's "mine" link: their own page; an administrator without a roster entry: the list."""
    roles = get_roles(request.user)
    if roles.member is None:
        require_member_or_admin(roles)
        return redirect(list_name)
    return redirect(member_page_name, member_pk=roles.member.pk)


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
