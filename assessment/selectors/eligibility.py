"""Who rates whom (no ORM writes; shared by services, selectors and the templates).

- self: the member rates themself;
- peers: the other members of the same Party group, or, for a member without a
  group, the other group-less members of the branch (the whole branch where it
  has no groups);
- masses: the masses raters linked to the member;
- organisation: the branch committee, one combined rating per member; a committee
  member's own by the other committee members, or by the company administrator where
  the branch has none (nobody rates themself).
"""

from __future__ import annotations

from django.db.models import QuerySet

from members.models import MassesRater, Member
from members.roles import Roles, committee_members

from ..models import RaterGroup


def peers_of(member: Member) -> QuerySet[Member]:
    qs = Member.objects.filter(branch_id=member.branch_id, is_active=True).exclude(pk=member.pk)
    return qs.filter(group_id=member.group_id) if member.group_id else qs.filter(group__isnull=True)


def are_peers(a: Member, b: Member) -> bool:
    return a.pk != b.pk and a.branch_id == b.branch_id and a.group_id == b.group_id and a.is_active and b.is_active


def groups_actor_may_rate_as(*, roles: Roles, ratee: Member) -> set[str]:
    """The rater groups in which this person may rate ``ratee`` (through their login)."""
    groups = set()
    if not ratee.is_active:
        return groups
    if roles.member is not None:
        if roles.member.pk == ratee.pk:
            groups.add(RaterGroup.SELF)
        elif are_peers(roles.member, ratee):
            groups.add(RaterGroup.PEER)
    if roles.committee_branch_id is not None and roles.committee_branch_id == ratee.branch_id:
        if roles.member.pk != ratee.pk:
            groups.add(RaterGroup.ORG)
    elif roles.is_admin and ratee.committee_role != Member.CommitteeRole.NONE:
        if not committee_members(branch_id=ratee.branch_id, excluding=ratee.pk).exists():
            groups.add(RaterGroup.ORG)
    if roles.masses_rater is not None and roles.masses_rater.ratees.filter(pk=ratee.pk).exists():
        groups.add(RaterGroup.MASSES)
    return groups


def masses_ratees(rater: MassesRater) -> QuerySet[Member]:
    return rater.ratees.filter(is_active=True).select_related("branch", "group").order_by("employee_no")
