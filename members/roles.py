"""Who a user is in the organisation, worked out once per request.

Every selector and permission check asks this module, so the scope rule has
one source: a member sees their own records, a group leader their group, a
secretary or committee member their branch, an administrator everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from partybuild.lib.sql import ModelColumns, fetch_one, quote

from .models import Branch, MassesRater, Member, PartyGroup, User

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
    """The user's roles, cached on the user object for the rest of the request (the
    authentication backend, partybuild.auth, reads them with the user)."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    person = read_person(user.pk)
    roles = person.roles if person is not None else NO_ROLES
    remember_roles(user, roles)
    return roles


@dataclass(frozen=True)
class Person:
    """A user as a request needs them: the user, their roles, and any extra figures
    the caller asked ``read_person`` for."""

    user: User
    roles: Roles
    extras: tuple = ()


def remember_roles(user: User, roles: Roles) -> None:
    setattr(user, _CACHE_ATTR, roles)


def read_person(user_id: int, extras: tuple[str, ...] = ()) -> Person | None:
    """The user with their active member record (its branch and group), their active
    masses-rater record (its branch) and whether they lead a group, in one statement;
    ``extras`` are scalar SQL expressions over the user's row (alias ``u``), read in the
    same statement. Group leaders pay a second query for their groups' ids.

    Built in the ORM this cost more than the database takes to answer it, on every
    request, so it is written once per process (and prepared once per connection)."""
    statement = _person_statement(connection.vendor, extras)
    row = fetch_one(statement.sql, [user_id])
    if row is None:
        return None
    values = iter(row)

    def take(columns: ModelColumns) -> list:
        return [next(values) for _ in range(columns.width)]

    user = statement.user.read(take(statement.user))
    member_row, branch_row, group_row = take(statement.member), take(statement.branch), take(statement.group)
    leads = bool(next(values))
    rater_row, rater_branch_row = take(statement.rater), take(statement.rater_branch)
    extra = tuple(values)
    member = statement.member.read_joined(member_row)
    if member is not None:
        Member._meta.get_field("branch").set_cached_value(member, statement.branch.read(branch_row))
        Member._meta.get_field("group").set_cached_value(member, statement.group.read_joined(group_row))
    masses_rater = statement.rater.read_joined(rater_row)
    if masses_rater is not None:
        MassesRater._meta.get_field("branch").set_cached_value(
            masses_rater, statement.rater_branch.read(rater_branch_row)
        )
    led = _groups_led_by(member.pk) if leads else frozenset()
    roles = Roles(member=member, masses_rater=masses_rater, is_admin=user.is_staff, led_group_ids=led)
    return Person(user=user, roles=roles, extras=extra)


def _table(model) -> str:
    return quote(model._meta.db_table)


def _column(model, name: str) -> str:
    return quote(model._meta.get_field(name).column)


@dataclass(frozen=True)
class _PersonStatement:
    sql: str
    user: ModelColumns
    member: ModelColumns
    branch: ModelColumns
    group: ModelColumns
    rater: ModelColumns
    rater_branch: ModelColumns


@cache
def _person_statement(vendor: str, extras: tuple[str, ...]) -> _PersonStatement:
    user, member, branch, group = (
        ModelColumns(User, "u"),
        ModelColumns(Member, "m"),
        ModelColumns(Branch, "b"),
        ModelColumns(PartyGroup, "g"),
    )
    rater, rater_branch = ModelColumns(MassesRater, "r"), ModelColumns(Branch, "rb")

    def col(alias: str, model, name: str) -> str:
        return f"{alias}.{_column(model, name)}"

    def join(model, alias: str, on: str) -> str:
        return f"LEFT OUTER JOIN {_table(model)} {alias} ON {on} "

    leads = (
        f"SELECT 1 FROM {_table(PartyGroup)} led WHERE {col('led', PartyGroup, 'leader')} = {col('m', Member, 'id')}"  # noqa: S608
    )
    sql = (
        f"SELECT {user.sql}, {member.sql}, {branch.sql}, {group.sql}, EXISTS ({leads}), "  # noqa: S608 - names
        f"{rater.sql}, {rater_branch.sql}{''.join(', ' + extra for extra in extras)} "
        f"FROM {_table(User)} u "
        + join(Member, "m", f"{col('m', Member, 'user')} = {col('u', User, 'id')} AND {col('m', Member, 'is_active')}")
        + join(Branch, "b", f"{col('b', Branch, 'id')} = {col('m', Member, 'branch')}")
        + join(PartyGroup, "g", f"{col('g', PartyGroup, 'id')} = {col('m', Member, 'group')}")
        + join(
            MassesRater,
            "r",
            f"{col('r', MassesRater, 'user')} = {col('u', User, 'id')} AND {col('r', MassesRater, 'is_active')}",
        )
        + join(Branch, "rb", f"{col('rb', Branch, 'id')} = {col('r', MassesRater, 'branch')}")
        + f"WHERE {col('u', User, 'id')} = %s"
    )
    return _PersonStatement(sql, user, member, branch, group, rater, rater_branch)


def _groups_led_by(member_id: int) -> frozenset[int]:
    sql = f"SELECT {_column(PartyGroup, 'id')} FROM {_table(PartyGroup)} WHERE {_column(PartyGroup, 'leader')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [member_id])
        return frozenset(row[0] for row in cursor.fetchall())


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
