"""A deterministic demo company: branches, groups, members, masses raters, logins.

Everything is inserted in bulk so that ``seed_demo --members 100000`` stays a
matter of minutes; the same ``--seed`` always builds the same company.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from partybuild.lib.bulk_sql import insert_history, insert_records, insert_rows

from .models import Branch, MassesRater, Member, PartyGroup, User

DEMO_PASSWORD = "partybuild-demo"  # noqa: S105 - documented demo logins
DEMO_LOGINS = ("admin", "secretary1", "secretary2", "leader1", "member1", "member2", "masses1")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国志文斌辉宇浩凯婷雪琳晨阳欣怡"
    "子涵思远海波东林峰瑞佳俊晓丹"
)
POSTS = [
    "运行值班员",
    "设备检修工",
    "安全监察员",
    "技术员",
    "班组长",
    "调度员",
    "会计",
    "工程师",
    "营销专员",
    "物资管理员",
    "信息运维员",
    "质量检验员",
]
JOB_TITLES = ["", "", "", "班长", "主管", "副主任", "主任", "高级工程师"]
UNITS = [
    "机关",
    "生产运行",
    "设备维护",
    "安全环保",
    "市场营销",
    "财务资产",
    "技术研发",
    "物资供应",
    "工程建设",
    "信息通信",
]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 305 → 三百零五 (up to 9999)."""
    if n < 10:
        return DIGITS[n]
    parts = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            parts.append(("" if (unit == "十" and digit == 1 and not parts) else DIGITS[digit]) + unit)
        elif parts and n:
            if not parts[-1].endswith("零"):
                parts.append("零")
    if n:
        parts.append(DIGITS[n])
    return "".join(parts)


@dataclass
class DemoSummary:
    branches: int = 0
    groups: int = 0
    members: int = 0
    masses_raters: int = 0
    logins: dict[str, str] = field(default_factory=dict)  # username -> who


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


# From this many members on, the first branch (the head office's) is a large one, as in a
# real enterprise; `make bench` measures the secretary's pages on it.
LARGE_BRANCH_FROM = 3000
LARGE_BRANCH_SIZE = 300


def _branch_sizes(total: int, branches: int) -> list[int]:
    if total >= LARGE_BRANCH_FROM:
        base, extra = divmod(total - LARGE_BRANCH_SIZE, branches - 1)
        return [LARGE_BRANCH_SIZE] + [base + (1 if i < extra else 0) for i in range(branches - 1)]
    base, extra = divmod(total, branches)
    return [base + (1 if i < extra else 0) for i in range(branches)]


@transaction.atomic
def build(*, members: int = 90, seed: int = 2026, today: datetime.date | None = None) -> DemoSummary:
    """Build the demo company into an empty roster."""
    rng = random.Random(seed)
    today = today or datetime.date.today()
    n_branches = max(3, round(members / 45))
    sizes = _branch_sizes(members, n_branches)
    password = make_password(DEMO_PASSWORD)
    summary = DemoSummary()

    branches = Branch.objects.bulk_create(
        [
            Branch(
                name=f"{UNITS[i % len(UNITS)]}第{chinese_number(i // len(UNITS) + 1)}党支部"
                if i >= len(UNITS)
                else f"{UNITS[i]}党支部",
                sort_order=i + 1,
            )
            for i in range(n_branches)
        ]
    )
    summary.branches = len(branches)

    # Every third branch has no groups: peers there are the whole branch.
    groups_of: dict[int, list[PartyGroup]] = {}
    new_groups = []
    for i, (branch, size) in enumerate(zip(branches, sizes, strict=True)):
        if i % 3 == 2 or size < 6:
            groups_of[branch.pk] = []
            continue
        count = max(2, size // 12)
        groups_of[branch.pk] = [
            PartyGroup(branch=branch, name=f"第{chinese_number(k + 1)}党小组", sort_order=k + 1) for k in range(count)
        ]
        new_groups.extend(groups_of[branch.pk])
    PartyGroup.objects.bulk_create(new_groups)
    summary.groups = len(new_groups)

    # Demo aliases: (branch index, position in branch) -> username.
    # member1 and member2 sit in the first group of their branch, led by leader1 in branch 1.
    aliases = {
        (0, 0): "secretary1",
        (1, 0): "secretary2",
        (0, 2): "leader1",
        (0, 2 + len(groups_of[branches[0].pk])): "member1",
        (1, 2 + len(groups_of[branches[1].pk])): "member2",
    }
    # Records, not model instances (insert_records: COPY on PostgreSQL); at 100,000 members
    # building and preparing model instances was most of the roster's time.
    roster: list[dict] = []
    users: list[dict] = []
    number = 0
    for b_index, (branch, size) in enumerate(zip(branches, sizes, strict=True)):
        groups = groups_of[branch.pk]
        for position in range(size):
            number += 1
            employee_no = f"E{number:06d}"
            birth = datetime.date(rng.randint(1964, 2001), rng.randint(1, 12), rng.randint(1, 28))
            earliest = birth.replace(year=birth.year + 19)
            latest = today - datetime.timedelta(days=60)
            probationary = rng.random() < 0.1
            if probationary:
                joined = today - datetime.timedelta(days=rng.randint(60, 330))
                full_on = None
            else:
                span = max((latest - datetime.timedelta(days=400) - earliest).days, 1)
                joined = earliest + datetime.timedelta(days=rng.randint(0, span))
                full_on = joined + datetime.timedelta(days=365)
            if position == 0:
                role = Member.CommitteeRole.SECRETARY
            elif position == 1:
                role = Member.CommitteeRole.COMMITTEE
            else:
                role = Member.CommitteeRole.NONE
            # Position 2.. lead the groups in turn; the rest are spread over the groups.
            group = None
            if groups:
                group = groups[(position - 2) % len(groups)] if position >= 2 else groups[0]
            username = aliases.get((b_index, position), employee_no)
            users.append({"username": username, "password": password, "email": f"{username}@example.com"})
            roster.append(
                {
                    "employee_no": employee_no,
                    "name": _name(rng),
                    "gender": rng.choice(["M", "M", "F"]),
                    "birth_date": birth,
                    "party_status": Member.PartyStatus.PROBATIONARY if probationary else Member.PartyStatus.FULL,
                    "joined_on": joined,
                    "full_on": full_on,
                    "post": rng.choice(POSTS),
                    "job_title": rng.choice(JOB_TITLES),
                    "phone": f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                    "email": f"{username}@example.com",
                    "branch_id": branch.pk,
                    "group_id": group.pk if group else None,
                    "committee_role": role,
                    "username": username,  # not a column: which login is the member's
                }
            )
    insert_records(User, users)
    user_by_name = dict(User.objects.values_list("username", "pk"))  # the roster is empty before the demo
    for member in roster:
        member["user_id"] = user_by_name[member["username"]]
    before = Member.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_records(Member, roster)
    insert_history(Member.objects.filter(pk__gt=before), reason="seed_demo")
    summary.members = len(roster)

    # Group leaders: the first member placed in each group from position 2 on.
    member_by_no = dict(Member.objects.values_list("employee_no", "pk"))
    leaders = []
    offset = 0
    for branch, size in zip(branches, sizes, strict=True):
        for k, group in enumerate(groups_of[branch.pk]):
            if k + 2 < size:
                group.leader_id = member_by_no[roster[offset + 2 + k]["employee_no"]]
                leaders.append(group)
        offset += size
    PartyGroup.objects.bulk_update(leaders, ["leader"], batch_size=2000)

    # Masses raters: each member is linked to three non-member colleagues of the branch.
    raters: list[MassesRater] = []
    links: list[tuple[int, int]] = []  # (index into raters, member pk)
    rater_no = 0
    offset = 0
    for branch, size in zip(branches, sizes, strict=True):
        count = max(3, size // 8)
        first = len(raters)
        for _i in range(count):
            rater_no += 1
            raters.append(MassesRater(employee_no=f"M{rater_no:06d}", name=_name(rng), branch=branch))
        for position in range(size):
            member_pk = member_by_no[roster[offset + position]["employee_no"]]
            for r in rng.sample(range(first, first + count), 3):
                links.append((r, member_pk))
        offset += size
    masses_user = User.objects.create(username="masses1", password=password, email="masses1@example.com")
    raters[0].user = masses_user
    MassesRater.objects.bulk_create(raters, batch_size=2000)
    rater_pks = dict(MassesRater.objects.values_list("employee_no", "pk"))
    member1_pk = member_by_no[roster[aliases_index(aliases, "member1", sizes)]["employee_no"]]
    links = [(r, m) for r, m in links if not (r == 0 and m == member1_pk)] + [(0, member1_pk)]
    insert_rows(
        MassesRater.ratees.through._meta.db_table,
        ("massesrater_id", "member_id"),
        [(rater_pks[raters[r].employee_no], m) for r, m in sorted(set(links))],
    )
    summary.masses_raters = len(raters)

    User.objects.create(
        username="admin",
        password=password,
        email="admin@example.com",
        is_staff=True,
        is_superuser=True,
    )
    summary.logins = _logins(branches[0].name, branches[1].name)
    return summary


def _logins(first: str, second: str) -> dict[str, str]:
    return {
        "admin": _("administrator (company Party committee)"),
        "secretary1": _("secretary of %(branch)s") % {"branch": first},
        "secretary2": _("secretary of %(branch)s") % {"branch": second},
        "leader1": _("group leader in %(branch)s") % {"branch": first},
        "member1": _("member of %(branch)s") % {"branch": first},
        "member2": _("member of %(branch)s") % {"branch": second},
        "masses1": _("masses rater in %(branch)s") % {"branch": first},
    }


def built_summary() -> DemoSummary:
    """The summary of a demo company already in the database (``seed_demo --resume``)."""
    first, second = Branch.objects.order_by("sort_order").values_list("name", flat=True)[:2]
    return DemoSummary(
        branches=Branch.objects.count(),
        groups=PartyGroup.objects.count(),
        members=Member.objects.count(),
        masses_raters=MassesRater.objects.count(),
        logins=_logins(first, second),
    )


def built_with(*, members: int, seed: int) -> bool:
    """Whether the roster in the database is the one ``build(members=…, seed=…)`` makes:
    as many members, the admin login (its last record) there, and the first member born
    on the day the seed draws first."""
    rng = random.Random(seed)
    birth = datetime.date(rng.randint(1964, 2001), rng.randint(1, 12), rng.randint(1, 28))
    return (
        Member.objects.count() == members
        and User.objects.filter(username="admin").exists()
        and Member.objects.filter(employee_no="E000001", birth_date=birth).exists()
    )


def aliases_index(aliases: dict[tuple[int, int], str], username: str, sizes: list[int]) -> int:
    """The roster index of the member behind a demo alias."""
    for (b_index, position), name in aliases.items():
        if name == username:
            return sum(sizes[:b_index]) + position
    raise KeyError(username)


def reset() -> None:
    """Remove the roster and every login, so the demo can be built again."""
    with transaction.atomic():
        MassesRater.objects.all().delete()
        PartyGroup.objects.update(leader=None)
        Member.objects.all().delete()
        PartyGroup.objects.all().delete()
        Branch.objects.all().delete()
        User.objects.all().delete()
        for model in (MassesRater, Member, PartyGroup, Branch):
            model.history.all().delete()
