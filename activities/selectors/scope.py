"""The scope rule of the records that keep the member, branch and group they were made in
(pioneer posts, recognitions, help records, suggestions): a member sees their own, a group
leader those made in the groups they lead, the branch committee its branch's, an
administrator every one."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from members.models import User
from members.roles import Roles, get_roles


def record_scope(roles: Roles) -> Q | None:
    """The Q a record with ``member``, ``branch`` and ``group`` must match; None means all."""
    if roles.is_admin:
        return None
    scope = Q(pk__in=[])
    if roles.member is not None:
        scope |= Q(member_id=roles.member.pk)
    if roles.led_group_ids:
        scope |= Q(group_id__in=roles.led_group_ids)
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id)
    return scope


def scoped(qs: QuerySet, user: User) -> QuerySet:
    """The records of ``qs`` the user may see."""
    scope = record_scope(get_roles(user))
    return qs if scope is None else qs.filter(scope)


def member_text_q(text: str, *, prefix: str = "member__") -> Q:
    """An employee number, or part of a name."""
    text = text.strip()
    return Q(**{f"{prefix}employee_no__iexact": text}) | Q(**{f"{prefix}name__contains": text})
