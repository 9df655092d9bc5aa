"""Who a user is in the organisation, worked out once per request.

Every selector and permission check asks this module, so the scope rule has
one source: a member sees their own records, a group leader their group, a
secretary or committee member their branch, an administrator everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import F

from .models import MassesRater, Member, User

_CACHE_ATTR = "_partybuild_roles"


@dataclass(frozen=True)
class Roles:
    member: Member | None = None
    masses_rater: MassesRater | None = None
    is_admin: bool = False
    led_group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def is_masses_rater(self) -> bool:
        return self.masses_rater is not None

    @property
    def is_group_leader(self) -> bool:
        return bool(self.led_group_ids)

    @property
    def is_secretary(self) -> bool:
        return self.member is not None and self.member.committee_role == Member.CommitteeRole.SECRETARY

    @property
    def is_committee(self) -> bool:
        """Secretary or committee member: both see the whole branch."""
        return self.member is not None and self.member.committee_role != Member.CommitteeRole.NONE

    @property
    def committee_branch_id(self) -> int | None:
        return self.member.branch_id if self.is_committee else None

    @property
    def secretary_branch_id(self) -> int | None:
        return self.member.branch_id if self.is_secretary else None

    @property
    def can_view_roster(self) -> bool:
        return self.is_admin or self.is_committee or self.is_group_leader

    @property
    def can_edit_roster(self) -> bool:
        return self.is_admin or self.is_secretary

    @property
    def names(self) -> list[str]:
        """Role keys, most powerful first (used for navigation and the home page)."""
        keys = []
        if self.is_admin:
            keys.append("admin")
        if self.is_secretary:
            keys.append("secretary")
        elif self.is_committee:
            keys.append("committee")
        if self.is_group_leader:
            keys.append("leader")
        if self.is_member:
            keys.append("member")
        if self.is_masses_rater:
            keys.append("masses")
        return keys


NO_ROLES = Roles()


def get_roles(user: User | AnonymousUser) -> Roles:
    """The user's roles, read once and kept on the user object for the rest of the request.

    One query for a member: their active member record with its branch and the groups they
    lead; a second, for someone who is no member, finds their active masses-rater record."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _read_roles(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _read_roles(user: User) -> Roles:
    # One query: the member with their branch, joined to the groups they lead (a row per
    # group led; one row, with no group, for everyone else).
    rows = list(
        Member.objects.select_related("branch").filter(user=user, is_active=True).annotate(led=F("led_groups__pk"))
    )
    if not rows:  # an administrator, or a masses rater: an employee who is no member
        masses_rater = MassesRater.objects.select_related("branch").filter(user=user, is_active=True).first()
        return Roles(masses_rater=masses_rater, is_admin=user.is_staff)
    led = frozenset(row.led for row in rows if row.led is not None)
    return Roles(member=rows[0], is_admin=user.is_staff, led_group_ids=led)


def committee_members(*, branch_id, excluding):
    """The branch's active committee members other than ``excluding`` (a member id): who
    judges that member's own work — their report, their organisation rating — since nobody
    judges themselves; where there is none, the company administrator does. Both arguments
    may be ``OuterRef``s, for the same rule as a correlated subquery."""
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .exclude(committee_role=Member.CommitteeRole.NONE)
        .exclude(pk=excluding)
    )
