"""Which branch a committee page is about (the card board, the rating progress, the links)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from members import selectors as member_selectors
from members.models import Branch, User
from members.roles import get_roles


def committee_branch_for_user(*, user: User, requested: str | None) -> tuple[Branch | None, QuerySet[Branch] | None]:
    """(branch, branches to choose from): a committee member's own branch (nothing to choose);
    for an administrator the branch asked for (``?branch=``), else the first, with the list;
    403 for anyone else. The branch is None only where there are no branches yet."""
    roles = get_roles(user)
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=user)
        value = (requested or "").strip()
        branch = branches.filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None
        return branch or branches.first(), branches
    if roles.committee_branch_id is not None:
        return roles.member.branch, None
    raise PermissionDenied
