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

from partybuild.lib.sql import ModelColumns, quote

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
    """The user's roles, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # Every page asks (the navigation does). Members, nearly everyone, pay one small
    # query (the member with branch and group, and whether they lead a group or also
    # rate as masses); group leaders and masses raters one more.
    member, leads, rates = _member_of(user.pk)
    masses_rater = _masses_rater_of(user.pk) if member is None or rates else None
    led = _groups_led_by(member.pk) if leads else frozenset()
    roles = Roles(member=member, masses_rater=masses_rater, is_admin=user.is_staff, led_group_ids=led)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def _table(model) -> str:
    return quote(model._meta.db_table)


def _column(model, name: str) -> str:
    return quote(model._meta.get_field(name).column)


@cache
def _member_statement(vendor: str) -> tuple[str, ModelColumns, ModelColumns, ModelColumns]:
    """The roles query, written once per process. Built in the ORM (select_related and two
    Exists annotations) it cost three times what the database takes to answer it, on
    every request."""
    member, branch, group = ModelColumns(Member, "m"), ModelColumns(Branch, "b"), ModelColumns(PartyGroup, "g")
    m_id, m_user = f"m.{_column(Member, 'id')}", f"m.{_column(Member, 'user')}"
    leads = f"SELECT 1 FROM {_table(PartyGroup)} led WHERE led.{_column(PartyGroup, 'leader')} = {m_id}"  # noqa: S608
    rates = (
        f"SELECT 1 FROM {_table(MassesRater)} r "  # noqa: S608 - names, not values
        f"WHERE r.{_column(MassesRater, 'user')} = {m_user} AND r.{_column(MassesRater, 'is_active')}"
    )
    sql = (
        f"SELECT {member.sql}, {branch.sql}, {group.sql}, EXISTS ({leads}), EXISTS ({rates}) "  # noqa: S608
        f"FROM {_table(Member)} m "
        f"INNER JOIN {_table(Branch)} b ON b.{_column(Branch, 'id')} = m.{_column(Member, 'branch')} "
        f"LEFT OUTER JOIN {_table(PartyGroup)} g ON g.{_column(PartyGroup, 'id')} = m.{_column(Member, 'group')} "
        f"WHERE {m_user} = %s AND m.{_column(Member, 'is_active')}"
    )
    return sql, member, branch, group


def _member_of(user_id: int) -> tuple[Member | None, bool, bool]:
    """The user's active member record with its branch and group, whether the member leads
    a group, and whether the same user also rates as masses."""
    sql, member_columns, branch_columns, group_columns = _member_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None, False, False
    at = member_columns.width
    member = member_columns.read(row[:at])
    branch = branch_columns.read(row[at : at + branch_columns.width])
    at += branch_columns.width
    group = group_columns.read(row[at : at + group_columns.width]) if member.group_id is not None else None
    at += group_columns.width
    Member._meta.get_field("branch").set_cached_value(member, branch)
    Member._meta.get_field("group").set_cached_value(member, group)
    return member, bool(row[at]), bool(row[at + 1])


@cache
def _masses_rater_statement(vendor: str) -> tuple[str, ModelColumns, ModelColumns]:
    rater, branch = ModelColumns(MassesRater, "r"), ModelColumns(Branch, "b")
    sql = (
        f"SELECT {rater.sql}, {branch.sql} FROM {_table(MassesRater)} r "  # noqa: S608 - names, not values
        f"INNER JOIN {_table(Branch)} b ON b.{_column(Branch, 'id')} = r.{_column(MassesRater, 'branch')} "
        f"WHERE r.{_column(MassesRater, 'user')} = %s AND r.{_column(MassesRater, 'is_active')}"
    )
    return sql, rater, branch


def _masses_rater_of(user_id: int) -> MassesRater | None:
    sql, rater_columns, branch_columns = _masses_rater_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    rater = rater_columns.read(row[: rater_columns.width])
    MassesRater._meta.get_field("branch").set_cached_value(rater, branch_columns.read(row[rater_columns.width :]))
    return rater


def _groups_led_by(member_id: int) -> frozenset[int]:
    sql = f"SELECT {_column(PartyGroup, 'id')} FROM {_table(PartyGroup)} WHERE {_column(PartyGroup, 'leader')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [member_id])
        return frozenset(row[0] for row in cursor.fetchall())
