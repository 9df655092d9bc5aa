"""Reads of the roster, each scoped to the user asking (the scope rule)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import Branch, MassesRater, Member, PartyGroup, User
from .roles import Roles, get_roles


def record_scope_for(roles: Roles, *, own: str = "member_id", hidden_from_group: Q | None = None) -> Q | None:
    """The scope rule of the roster and of every record that keeps the member, branch and
    group it was made in: a member sees their own (``own`` names the field holding the
    member), a group leader those of the groups they lead (less ``hidden_from_group``, e.g.
    drafts), the branch committee its branch's, an administrator all (None)."""
    if roles.is_admin:
        return None
    scope = Q(pk__in=[])
    if roles.member is not None:
        scope |= Q(**{own: roles.member.pk})
    if roles.led_group_ids:
        led = Q(group_id__in=roles.led_group_ids)
        scope |= led if hidden_from_group is None else led & ~hidden_from_group
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id)
    return scope


def records_in_scope(qs: QuerySet, *, user: User, hidden_from_group: Q | None = None) -> QuerySet:
    """The records of ``qs`` (each keeping its member, branch and group) the user may see."""
    scope = record_scope_for(get_roles(user), hidden_from_group=hidden_from_group)
    return qs if scope is None else qs.filter(scope)


def _member_scope(roles: Roles) -> Q | None:
    """The Q a member row must match to be visible; None means everything."""
    return record_scope_for(roles, own="pk")


def member_list_for_user(*, user: User) -> QuerySet[Member]:
    roles = get_roles(user)
    qs = Member.objects.select_related("branch", "group")
    scope = _member_scope(roles)
    return qs if scope is None else qs.filter(scope)


def member_get_for_user(*, user: User, pk: int) -> Member:
    """The member if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return member_list_for_user(user=user).select_related("user").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_can_edit(*, roles: Roles, member: Member) -> bool:
    if roles.is_admin:
        return True
    return roles.is_secretary and member.branch_id == roles.secretary_branch_id


def member_get_for_edit(*, user: User, pk: int) -> Member:
    member = member_get_for_user(user=user, pk=pk)
    if not member_can_edit(roles=get_roles(user), member=member):
        raise PermissionDenied
    return member


def branch_list_for_user(*, user: User) -> QuerySet[Branch]:
    roles = get_roles(user)
    if roles.is_admin:
        return Branch.objects.all()
    ids = set()
    if roles.member is not None:
        ids.add(roles.member.branch_id)
    if roles.masses_rater is not None:
        ids.add(roles.masses_rater.branch_id)
    return Branch.objects.filter(pk__in=ids)


def committee_branch_for_user(
    *, user: User, requested: str | None, pick_first: bool = True
) -> tuple[Branch | None, QuerySet[Branch] | None]:
    """(branch, branches to choose from) a committee page works on: a committee member's
    own branch (nothing to choose); for an administrator the branch asked for (``?branch=``)
    among those they see, with the list; 403 for anyone else.

    Where an administrator asked for none (or one that is not theirs): the first branch
    with ``pick_first`` (the boards), otherwise None until they pick one (a new record;
    404 for a branch number that is not theirs). The branch is None also where there are
    no branches yet."""
    roles = get_roles(user)
    if roles.is_admin:
        branches = branch_list_for_user(user=user)
        value = (requested or "").strip()
        branch = branches.filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None
        if pick_first:
            return branch or branches.first(), branches
        if branch is None and value.isdigit():
            raise Http404
        return branch, branches
    if roles.committee_branch_id is not None:
        return roles.member.branch, None
    raise PermissionDenied


def group_list_for_user(*, user: User) -> QuerySet[PartyGroup]:
    roles = get_roles(user)
    qs = PartyGroup.objects.select_related("branch", "leader")
    if roles.is_admin:
        return qs
    scope = Q(pk__in=roles.led_group_ids)
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id)
    if roles.member is not None and roles.member.group_id:
        scope |= Q(pk=roles.member.group_id)
    return qs.filter(scope)


@dataclass(frozen=True)
class RosterCounts:
    total: int = 0
    full: int = 0
    probationary: int = 0
    without_group: int = 0
    inactive: int = 0
    with_account: int = 0


_COUNT_AGGREGATES = {
    "total": Count("pk", filter=Q(is_active=True)),
    "full": Count("pk", filter=Q(is_active=True, party_status=Member.PartyStatus.FULL)),
    "probationary": Count("pk", filter=Q(is_active=True, party_status=Member.PartyStatus.PROBATIONARY)),
    "without_group": Count("pk", filter=Q(is_active=True, group__isnull=True)),
    "inactive": Count("pk", filter=Q(is_active=False)),
    "with_account": Count("pk", filter=Q(is_active=True, user__isnull=False)),
}


def roster_counts(*, members: QuerySet[Member]) -> RosterCounts:
    """Head counts of a member queryset in one aggregate query."""
    return RosterCounts(**members.order_by().aggregate(**_COUNT_AGGREGATES))


def group_choices(*, branch_id: int) -> QuerySet[PartyGroup]:
    """The branch's groups for a filter's choices: their id and name only."""
    return PartyGroup.objects.filter(branch_id=branch_id).order_by("sort_order", "name").only("pk", "name")


def group_counts(*, branch_id: int) -> QuerySet[PartyGroup]:
    """The branch's groups with their active and probationary head counts."""
    return (
        PartyGroup.objects.filter(branch_id=branch_id)
        .order_by("sort_order", "name")
        .select_related("leader")
        .annotate(
            active_count=Count("members", filter=Q(members__is_active=True)),
            probationary_count=Count(
                "members",
                filter=Q(members__is_active=True, members__party_status=Member.PartyStatus.PROBATIONARY),
            ),
        )
    )


def _count_per_branch(qs: QuerySet) -> Coalesce:
    """``qs``'s rows of each branch, counted for the branch's row alone (a subquery)."""
    counted = qs.filter(branch=OuterRef("pk")).order_by().values("branch").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def branch_counts() -> QuerySet[Branch]:
    """Every branch with its head counts, for the administrator. Each count is a subquery
    of its branch's rows, worked out for the rows of the page shown: a GROUP BY of the
    whole roster would read a million members to show twenty branches."""
    on_roll = Member.objects.filter(is_active=True)
    return Branch.objects.order_by("sort_order", "name").annotate(
        active_count=_count_per_branch(on_roll),
        probationary_count=_count_per_branch(on_roll.filter(party_status=Member.PartyStatus.PROBATIONARY)),
        group_count=_count_per_branch(PartyGroup.objects.all()),
    )


def company_counts() -> dict[str, int]:
    return {
        "branches": Branch.objects.count(),
        "groups": PartyGroup.objects.count(),
        "masses_raters": MassesRater.objects.filter(is_active=True).count(),
    }


def masses_rater_ratees(*, rater: MassesRater) -> QuerySet[Member]:
    return rater.ratees.filter(is_active=True).select_related("branch", "group")


def member_history_get_for_user(*, user: User, pk: int) -> Member:
    """The member whose whole history is asked for; administrators only (403 otherwise)."""
    if not get_roles(user).is_admin:
        raise PermissionDenied
    return member_get_for_user(user=user, pk=pk)


# ---------------------------------------------------------------------------
# Masses raters, kept by the branch secretary (their branch) and the administrator


def masses_rater_branch_for_user(*, user: User, requested: str | None) -> tuple[Branch | None, QuerySet[Branch] | None]:
    """(branch, branches to choose from) the masses-rater pages work on: the secretary's own
    branch; for an administrator the branch asked for, else the first; 403 for anyone else."""
    roles = get_roles(user)
    if not (roles.is_admin or roles.is_secretary):
        raise PermissionDenied
    return committee_branch_for_user(user=user, requested=requested)


def masses_rater_list(*, branch: Branch) -> QuerySet[MassesRater]:
    """The branch's masses raters (active or not), each with how many members they rate."""
    return (
        MassesRater.objects.filter(branch=branch)
        .annotate(ratee_count=Count("ratees", filter=Q(ratees__is_active=True), distinct=True))
        .order_by("-is_active", "employee_no")
    )


def masses_rater_get_for_edit(*, user: User, pk: int) -> MassesRater:
    """The rater if the user keeps it (the administrator, or the secretary of its branch);
    404 otherwise, as for a rater that does not exist."""
    roles = get_roles(user)
    qs = MassesRater.objects.select_related("branch", "user")
    if not roles.is_admin:
        if roles.secretary_branch_id is None:
            raise PermissionDenied
        qs = qs.filter(branch_id=roles.secretary_branch_id)
    rater = qs.filter(pk=pk).first()
    if rater is None:
        raise Http404
    return rater


def masses_ratee_choices(*, branch_id: int, rater: MassesRater | None = None) -> QuerySet[Member]:
    """The members a rater of the branch may be linked to: those on the roll, and any the
    rater is linked to already (so that saving the form does not drop them unseen)."""
    scope = Q(is_active=True)
    if rater is not None and rater.pk:
        scope |= Q(masses_raters=rater)
    return (
        Member.objects.filter(scope, branch_id=branch_id)
        .distinct()
        .select_related("group")
        .order_by(F("group__sort_order").asc(nulls_last=True), "group__name", "employee_no")
    )
