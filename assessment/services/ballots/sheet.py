"""The paper-ballot template's layout — its sheets and columns, and the ballot numbers —
and who is expected on it, for the whole roll at once (see the package's docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F

from members.models import MassesRater, Member, User
from members.roles import get_roles

from ...models import Period, RaterGroup, RatingChannel

# The sheets, headers and rater groups are fixed Chinese words, whatever the interface
# language: the workbook is a contract with the people who fill it in Excel (as the
# roster's headers are).
RATINGS_SHEET = "评分表"
RUBRIC_SHEET = "考核细则"
COL_RATEE = "被评价人工号"
COL_NAME = "被评价人姓名"
COL_GROUP = "评价主体"
COL_RATER = "评价人工号"
COL_BALLOT = "票号"
KEY_COLUMNS = (COL_RATEE, COL_NAME, COL_GROUP, COL_RATER, COL_BALLOT)
REQUIRED_KEY_COLUMNS = (COL_RATEE, COL_GROUP, COL_RATER, COL_BALLOT)
BALLOT_LETTER = {RaterGroup.PEER: "P", RaterGroup.MASSES: "M"}
RUBRIC_COLUMNS = ("编码", "考核方面", "考核项目", "满分", "评分说明")
GROUP_VALUES = (RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG)
GROUP_LABELS = {
    RaterGroup.SELF: "个人自评",
    RaterGroup.PEER: "党员互评",
    RaterGroup.MASSES: "群众参评",
    RaterGroup.ORG: "组织考评",
}
# Templates written before the workbook spoke Chinese are still read: their sheet name,
# their English headers and their group codes (self / peer / masses / org), and the
# groups as Traditional Chinese readers write them.
LEGACY_RATINGS_SHEET = "ratings"
LEGACY_COLUMNS = {
    "ratee_employee_no": COL_RATEE,
    "ratee_name": COL_NAME,
    "rater_group": COL_GROUP,
    "rater": COL_RATER,
    "ballot_no": COL_BALLOT,
}
GROUP_OF_TEXT = {
    **{label: group for group, label in GROUP_LABELS.items()},
    **{str(group): group for group in GROUP_VALUES},
    "個人自評": RaterGroup.SELF,
    "黨員互評": RaterGroup.PEER,
    "群眾參評": RaterGroup.MASSES,
    "組織考評": RaterGroup.ORG,
}
# Rows whose scores the template carries: the groups that are not anonymous.
NAMED_GROUPS = (RaterGroup.SELF, RaterGroup.ORG)
EXCEL_MAX_ROWS = 1_048_576
CHUNK = 500  # ids per IN (...) query


def require_paper_scope(actor: User | None, branch_id: int | None) -> None:
    """Paper ballots are handled by the administrator (any branch, or all at once) and by a
    branch secretary (their own branch only); a command (no actor) may do anything."""
    if actor is None:
        return
    roles = get_roles(actor)
    if roles.is_admin:
        return
    if branch_id is None or roles.secretary_branch_id != branch_id:
        raise PermissionDenied


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------------------
# Who is expected to rate whom, for the whole roll at once


@dataclass(frozen=True, slots=True)
class ExpectedRating:
    ratee_id: int
    ratee_no: str
    ratee_name: str
    rater_group: str
    rater_no: str = ""  # a self row's rater: the ratee
    ballot_no: str = ""  # a peer or masses row's ballot


def ballot_number(ratee_no: str, group: str, k: int) -> str:
    return f"{ratee_no}-{BALLOT_LETTER[group]}{k:02d}"


@dataclass
class Roll:
    """The active members in template order, grouped into peer units, and their masses raters."""

    members: list[tuple[int, str, str, int, int | None]]
    units: dict[tuple[int, int | None], list[tuple[int, str, str, int, int | None]]]
    masses_of: dict[int, list[int]]


def load_roll(branch_id: int | None) -> Roll:
    """Two queries whatever the size of the roll: the active members, and the masses links."""
    members = Member.objects.filter(is_active=True)
    links = MassesRater.ratees.through.objects.filter(massesrater__is_active=True, member__is_active=True)
    if branch_id is not None:
        members = members.filter(branch_id=branch_id)
        links = links.filter(member__branch_id=branch_id)
    rows = list(
        members.order_by(
            "branch__sort_order",
            "branch__name",
            F("group__sort_order").asc(nulls_last=True),
            F("group__name").asc(nulls_last=True),
            "employee_no",
        ).values_list("pk", "employee_no", "name", "branch_id", "group_id")
    )
    # Peers are the other members of the same group, or for a member without a group
    # the other group-less members of the branch: exactly eligibility.peers_of.
    units: dict[tuple[int, int | None], list] = defaultdict(list)
    for row in rows:
        units[(row[3], row[4])].append(row)
    masses_of: dict[int, list[int]] = defaultdict(list)
    for rater_id, member_id in links.order_by("massesrater_id").values_list("massesrater_id", "member_id"):
        masses_of[member_id].append(rater_id)
    return Roll(members=rows, units=units, masses_of=masses_of)


def paper_groups(period: Period) -> set[tuple[int, str]]:
    """(branch, group) pairs that rate on paper in the period."""
    return set(
        RatingChannel.objects.filter(period=period, channel=RatingChannel.Channel.PAPER).values_list(
            "branch_id", "rater_group"
        )
    )


def expand(roll: Roll, paper: set[tuple[int, str]]) -> Iterator[ExpectedRating]:
    for pk, number, name, branch_id, group_id in roll.members:
        yield ExpectedRating(pk, number, name, RaterGroup.SELF, rater_no=number)
        counts = {
            RaterGroup.PEER: len(roll.units[(branch_id, group_id)]) - 1,
            RaterGroup.MASSES: len(roll.masses_of.get(pk, ())),
        }
        for group, count in counts.items():
            if (branch_id, group) in paper:
                for k in range(1, count + 1):
                    yield ExpectedRating(pk, number, name, group, ballot_no=ballot_number(number, group, k))
        yield ExpectedRating(pk, number, name, RaterGroup.ORG)


def expected_ratings(*, period: Period, branch_id: int | None = None) -> Iterator[ExpectedRating]:
    """Every rating the template asks for, ratee by ratee (in roster order): self, a ballot
    per peer and per linked masses rater where the branch rates that group on paper, the
    organisation. Inactive members and raters take no part."""
    return expand(load_roll(branch_id), paper_groups(period))
