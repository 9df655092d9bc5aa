"""The roster as the activities' pages offer it: the branches and groups a list may be
filtered by, the branch a new record is made in, and the members to choose from."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from members import selectors as member_selectors
from members.models import Branch, Member, PartyGroup, User
from members.roles import get_roles


def filter_choices_for_user(
    *, user: User, branch_id: str = ""
) -> tuple[QuerySet[Branch] | None, QuerySet[PartyGroup] | None]:
    """The branches and groups a list may be filtered by, within the user's scope (None: no choice).

    An administrator picks a branch first (``branch_id``), then one of its groups; the
    committee picks among its branch's groups; a group leader among the groups they lead.
    """
    roles = get_roles(user)
    groups = member_selectors.group_list_for_user(user=user).order_by("sort_order", "name")
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=user)
        return branches, groups.filter(branch_id=branch_id) if branch_id.isdigit() else None
    if roles.committee_branch_id is not None:
        return None, groups.filter(branch_id=roles.committee_branch_id)
    if roles.led_group_ids:
        return None, groups.filter(pk__in=roles.led_group_ids)
    return None, None


def branch_for_new_record(*, user: User, branch_id: str = "") -> Branch | None:
    """The branch a new record is made in: the committee's own; for an administrator the
    one in ``branch_id`` (None until one is chosen, 404 if not theirs to see); anyone
    else may not make one (403)."""
    roles = get_roles(user)
    if roles.is_admin:
        if not branch_id.isdigit():
            return None
        branch = member_selectors.branch_list_for_user(user=user).filter(pk=branch_id).first()
        if branch is None:
            raise Http404
        return branch
    if roles.committee_branch_id is not None:
        return roles.member.branch
    raise PermissionDenied


def branch_members_on_roll(*, branch_id: int) -> QuerySet[Member]:
    """The branch's members on the roll, as a choice list reads them (by group, then number)."""
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .select_related("group")
        .order_by("group__sort_order", "employee_no")
    )
