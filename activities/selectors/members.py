"""The roster as the activities' pages offer it: the branches and groups a list may be
filtered by and the members to choose from."""

from __future__ import annotations

from django.db.models import QuerySet

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


def branch_members_on_roll(*, branch_id: int) -> QuerySet[Member]:
    """The branch's members on the roll, as a choice list reads them (by group, then number)."""
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .select_related("group")
        .order_by("group__sort_order", "employee_no")
    )
