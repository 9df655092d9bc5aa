"""Who a user is in the organisation, worked out once per request.

Every selector and permission check asks this module, so the scope rule has
one source: a member sees their own records, a group leader their group, a
secretary or committee member their branch, an administrator everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef

from .models import MassesRater, Member, PartyGroup, User

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
    """The user's roles, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # Every page asks (the navigation does). Members, nearly everyone, pay one small
    # query (the member with branch and group, and whether they lead a group or also
    # rate as masses); group leaders and masses raters one more. A single query joining
    # the user to all of it cost more in PostgreSQL's planning than the two together.
    member = (
        Member.objects.filter(user_id=user.pk, is_active=True)
        .select_related("branch", "group")
        .annotate(
            leads=Exists(PartyGroup.objects.filter(leader=OuterRef("pk"))),
            rates=Exists(MassesRater.objects.filter(user_id=OuterRef("user_id"), is_active=True)),
        )
        .first()
    )
    masses_rater = None
    if member is None or member.rates:
        masses_rater = MassesRater.objects.filter(user_id=user.pk, is_active=True).select_related("branch").first()
    led = (
        frozenset(PartyGroup.objects.filter(leader=member).values_list("id", flat=True))
        if member is not None and member.leads
        else frozenset()
    )
    roles = Roles(member=member, masses_rater=masses_rater, is_admin=user.is_staff, led_group_ids=led)
    setattr(user, _CACHE_ATTR, roles)
    return roles
