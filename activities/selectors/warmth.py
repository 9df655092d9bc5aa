"""Reads of warmth delivery, scoped to the user asking.

Responsibility areas and contact points follow the member, so they are seen
where the member is seen now (the roster's scope). Help records keep the branch
and group they were logged in, and are scoped like pioneer posts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Branch, Member, PartyGroup, User
from members.roles import get_roles
from members.selectors import committee_branch_for_user, group_list_for_user, member_list_for_user, records_in_scope
from partybuild.lib.quarters import Quarter

from ..models import ContactPoint, HelpRecord, ResponsibilityArea
from .scope import member_text_q

Kind = HelpRecord.Kind


def _scoped_to_members(qs: QuerySet, user: User) -> QuerySet:
    """Rows of members the user may see as they stand now (the roster's scope rule).

    A semi-join on the roster's own scoped list, rather than an OR across the
    row's table and the member's, which would keep the database from using an
    index on either.
    """
    if get_roles(user).is_admin:
        return qs
    return qs.filter(member__in=member_list_for_user(user=user).order_by().values("pk"))


def area_for_member(*, member: Member) -> ResponsibilityArea | None:
    """The member's responsibility area; the caller has found the member through a scoped selector."""
    return ResponsibilityArea.objects.filter(member=member).first()


def contact_point_list_for_user(*, user: User) -> QuerySet[ContactPoint]:
    return _scoped_to_members(ContactPoint.objects.select_related("member", "member__branch", "member__group"), user)


def contact_point_get_for_user(*, user: User, pk: int) -> ContactPoint:
    try:
        return contact_point_list_for_user(user=user).get(pk=pk)
    except (ContactPoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contact_point_filter(
    contacts: QuerySet[ContactPoint],
    *,
    branch_id: int | None = None,
    group_id: int | None = None,
    member_id: int | None = None,
    member: str = "",
    active: bool | None = None,
) -> QuerySet[ContactPoint]:
    if branch_id:
        contacts = contacts.filter(member__branch_id=branch_id)
    if group_id:
        contacts = contacts.filter(member__group_id=group_id)
    if member_id:
        contacts = contacts.filter(member_id=member_id)
    if member and member.strip():
        contacts = contacts.filter(member_text_q(member))
    if active is not None:
        contacts = contacts.filter(is_active=active)
    return contacts


def contact_points_with_help(contacts: QuerySet[ContactPoint]) -> QuerySet[ContactPoint]:
    """Each contact point with how often and when last they were helped (one query a page).

    Correlated subqueries rather than a join and GROUP BY: the database works them
    out for the rows of the page only, not for every contact point in scope.
    """
    helped = HelpRecord.objects.filter(contact_point=OuterRef("pk")).order_by().values("contact_point")
    return contacts.annotate(
        help_count=Coalesce(
            Subquery(helped.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
        ),
        last_helped_on=Subquery(helped.annotate(last=Max("helped_on")).values("last")),
    )


def contact_points_for_member(*, member: Member) -> QuerySet[ContactPoint]:
    return contact_points_with_help(ContactPoint.objects.filter(member=member)).order_by("-is_active", "name", "pk")


def contact_point_choices(*, member: Member, keep_id: int | None = None) -> QuerySet[ContactPoint]:
    """The contact points a help record of the member may name: those still looked after,
    and ``keep_id`` (the one an existing record names, even if retired since)."""
    keep = Q(is_active=True) | Q(pk=keep_id) if keep_id is not None else Q(is_active=True)
    return ContactPoint.objects.filter(keep, member=member).order_by("name", "pk")


# ---------------------------------------------------------------------------
# The help log


def help_record_list_for_user(*, user: User) -> QuerySet[HelpRecord]:
    return records_in_scope(HelpRecord.objects.select_related("member", "branch", "group", "contact_point"), user=user)


def help_record_get_for_user(*, user: User, pk: int) -> HelpRecord:
    try:
        return help_record_list_for_user(user=user).get(pk=pk)
    except (HelpRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def help_record_filter(
    records: QuerySet[HelpRecord],
    *,
    branch_id: int | None = None,
    group_id: int | None = None,
    member_id: int | None = None,
    member: str = "",
    year: int | None = None,
    quarter: Quarter | None = None,
    kind: str | None = None,
) -> QuerySet[HelpRecord]:
    if branch_id:
        records = records.filter(branch_id=branch_id)
    if group_id:
        records = records.filter(group_id=group_id)
    if member_id:
        records = records.filter(member_id=member_id)
    if member and member.strip():
        records = records.filter(member_text_q(member))
    if quarter is not None:
        records = records.filter(helped_on__range=(quarter.first_day, quarter.last_day))
    elif year:
        records = records.filter(helped_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    if kind:
        records = records.filter(kind=kind)
    return records


def help_kind_counts(records: QuerySet[HelpRecord]) -> dict[str, int]:
    """How many records of each kind, every kind present (one GROUP BY)."""
    counts = dict.fromkeys(Kind.values, 0)
    for kind, n in records.order_by().values_list("kind").annotate(n=Count("pk")):
        counts[kind] = n
    return counts


def member_help_records(*, user: User, member: Member) -> QuerySet[HelpRecord]:
    """The member's help log as far as the user may see it, newest first."""
    return help_record_list_for_user(user=user).filter(member=member).order_by("-helped_on", "-pk")


# ---------------------------------------------------------------------------
# The branch board: who has logged help this quarter, and how much of each kind


@dataclass(frozen=True)
class BoardCounts:
    members: int = 0
    logged: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return self.members - self.logged

    @property
    def records(self) -> int:
        return sum(self.by_kind.values())

    @property
    def logged_percent(self) -> int:
        return round(100 * self.logged / self.members) if self.members else 0


@dataclass(frozen=True)
class BoardScope:
    """Whose help the board shows: one branch, all its groups or a group leader's."""

    branch: Branch | None  # None: there is no branch yet
    branches: QuerySet[Branch] | None = None  # an administrator's choice of branch
    group_ids: list[int] | None = None  # a group leader's groups; None: every group of the branch

    def groups(self, *, user: User) -> QuerySet[PartyGroup]:
        groups = group_list_for_user(user=user).filter(branch=self.branch).order_by("sort_order")
        return groups if self.group_ids is None else groups.filter(pk__in=self.group_ids)

    def shown_groups(self, group_id: int | None) -> list[int] | None:
        """The group asked for in ``?group=`` if the board may show it, else all of its own."""
        if group_id is not None and (self.group_ids is None or group_id in self.group_ids):
            return [group_id]
        return self.group_ids


def warmth_board_scope(*, user: User, branch_id: str = "") -> BoardScope | None:
    """The board the user sees: the committee its branch, a group leader the groups they
    lead, an administrator any branch (``branch_id``, the first until one is chosen);
    None for a plain member, who has none."""
    roles = get_roles(user)
    if roles.is_admin or roles.committee_branch_id is not None:
        branch, branches = committee_branch_for_user(user=user, requested=branch_id)
        return BoardScope(branch=branch, branches=branches)
    if roles.led_group_ids:
        return BoardScope(branch=roles.member.branch, group_ids=sorted(roles.led_group_ids))
    return None


def _quarter_help(quarter: Quarter) -> QuerySet[HelpRecord]:
    return HelpRecord.objects.filter(member=OuterRef("pk"), helped_on__range=(quarter.first_day, quarter.last_day))


def warmth_board_members(
    *, branch_id: int, quarter: Quarter, group_ids: list[int] | None = None, missing_only: bool = False
) -> QuerySet[Member]:
    """The branch's active members (or those of ``group_ids``) for the quarter's board.

    Each carries ``logged`` (any help this quarter), ``contact_count`` and
    ``has_area``; ``missing_only`` keeps those who logged none. Counts by kind are
    added by :func:`with_kind_counts`, on the page shown only.
    """
    members = Member.objects.filter(branch_id=branch_id, is_active=True).select_related("group")
    if group_ids is not None:
        members = members.filter(group_id__in=group_ids)
    members = members.annotate(
        logged=Exists(_quarter_help(quarter)),
        has_area=Exists(ResponsibilityArea.objects.filter(member=OuterRef("pk"))),
        contact_count=Coalesce(
            Subquery(
                ContactPoint.objects.filter(member=OuterRef("pk"), is_active=True)
                .order_by()
                .values("member")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )
    if missing_only:
        members = members.filter(logged=False)
    return members.order_by("group__sort_order", "employee_no")


def with_kind_counts(members: list[Member], *, quarter: Quarter) -> list[Member]:
    """Set ``kind_counts`` (in the order of the kinds) and ``help_total`` on each member, in one query."""
    by_member: dict[int, dict[str, int]] = {m.pk: dict.fromkeys(Kind.values, 0) for m in members}
    rows = (
        HelpRecord.objects.filter(member_id__in=by_member, helped_on__range=(quarter.first_day, quarter.last_day))
        .order_by()
        .values_list("member_id", "kind")
        .annotate(n=Count("pk"))
    )
    for member_id, kind, n in rows:
        by_member[member_id][kind] = n
    for member in members:
        counts = by_member[member.pk]
        member.kind_counts = [counts[k] for k in Kind.values]
        member.help_total = sum(counts.values())
    return members


def warmth_board_counts(*, branch_id: int, quarter: Quarter, group_ids: list[int] | None = None) -> BoardCounts:
    """Members on the board, how many logged help this quarter, and the quarter's help by kind (two queries)."""
    members = Member.objects.filter(branch_id=branch_id, is_active=True)
    if group_ids is not None:
        members = members.filter(group_id__in=group_ids)
    head = members.order_by().aggregate(
        members=Count("pk"),
        logged=Count("pk", filter=Q(Exists(_quarter_help(quarter)))),
    )
    records = HelpRecord.objects.filter(
        member__in=members.values("pk"), helped_on__range=(quarter.first_day, quarter.last_day)
    )
    return BoardCounts(members=head["members"], logged=head["logged"], by_kind=help_kind_counts(records))
