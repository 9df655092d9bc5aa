"""Demo data: the year's study sessions with their attendance, a real 三会一课 picture.

Every branch holds its committee meeting each month but one or two (so some branch is behind),
a member assembly each quarter, a Party lecture each quarter (the second quarter's given at the
assembly, so it counts for both), and each Party group its meeting each month (one group of
every other branch misses one); plus one upcoming re-study per branch. A session that has
taken place has its attendance taken, which is what the counting wants. Inserted in bulk,
the attendance by the database itself.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Case, F, Max, QuerySet, Value, When
from django.db.models.functions import Mod
from django.utils import timezone

from members.models import Member
from partybuild.lib.bulk_sql import insert_records, insert_selected

from ..models import Attendance, MeetingRule, StudySession
from ..selectors.compliance import may_also_count, rules_in_force

K = StudySession.Kind
A = StudySession.Audience

TOPICS = [
    ("学习党章第一章“党员”", StudySession.ContentTag.CONSTITUTION),
    ("学习上级党委关于安全生产的部署", StudySession.ContentTag.HIGHER),
    ("学习新时代党员标准", StudySession.ContentTag.PRESCRIBED),
    ("学习《中国共产党纪律处分条例》", StudySession.ContentTag.PRESCRIBED),
    ("学习上级关于高质量发展的要求", StudySession.ContentTag.HIGHER),
    ("重温入党誓词，学习党章总纲", StudySession.ContentTag.CONSTITUTION),
]
COMMITTEE_TOPICS = [
    "研究本月党员发展和教育管理工作",
    "研究季度党性分析报告评议安排",
    "研究支部工作计划和主题党日安排",
    "通报上级党委部署，研究落实措施",
]


def _at(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 30, tzinfo=timezone.get_current_timezone())


def _missed_committee_months(index: int) -> set[int]:
    """Months (all ended by December) a branch held no committee meeting: one in the first
    branch, two in the next, none in the third, and so on."""
    first = (index * 5) % 10 + 1
    return {0: {first}, 1: {first, (first + 4) % 10 + 1}, 2: set()}[index % 3]


def _lecture_at_assembly(year: int) -> datetime.datetime:
    """When every branch's second-quarter lecture is given, at the member assembly."""
    return _at(year, 4, 12, 14)


def plan_year(
    *,
    by_branch: dict[int, list[dict]],
    groups_of: dict[int, list[int]],
    secretary_user: dict[int, int | None],
    rng: random.Random,
    now: datetime.datetime,
) -> list[dict]:
    """The year's sessions that have taken place by ``now``, as records for insert_records."""
    year = timezone.localtime(now).year
    planned: list[dict] = []

    def add(branch_id, kind, starts_at, audience, group_id=None, title=None):
        if starts_at >= now:
            return
        topic, tag = TOPICS[rng.randrange(len(TOPICS))]
        committee = kind == K.COMMITTEE
        title = title or topic
        planned.append(
            {
                "branch_id": branch_id,
                "kind": kind,
                "title": title,
                "content_tag": StudySession.ContentTag.HIGHER if committee else tag,
                "content": f"{title}，支委逐一发表意见，形成会议决定。"
                if committee
                else f"{title}，结合岗位实际开展讨论。",
                "requirements": "会前准备意见，会上逐一表态，会后分工落实。"
                if committee
                else "提前自学原文，会上每人发言，会后撰写学习体会。",
                "starts_at": starts_at,
                "duration_minutes": 60 if committee else 90,
                "location": "支部会议室" if committee else "党员活动室",
                "audience": audience,
                "group_id": group_id,
                "attendance_taken_at": starts_at + datetime.timedelta(hours=2),
                "created_by_id": secretary_user.get(branch_id),
            }
        )

    for index, (branch_id, branch_members) in enumerate(by_branch.items()):
        has_committee = any(m["committee_role"] != Member.CommitteeRole.NONE for m in branch_members)
        missed = _missed_committee_months(index)
        groups = groups_of[branch_id]
        # Every other branch with two groups or more: its last group missed one month's meeting.
        group_missed = (groups[-1], (index * 3) % 10 + 1) if index % 2 and len(groups) > 1 else None
        for month in range(1, 13):
            if has_committee and month not in missed:
                title = COMMITTEE_TOPICS[month % len(COMMITTEE_TOPICS)]
                add(branch_id, K.COMMITTEE, _at(year, month, 3, 9), A.COMMITTEE, title=title)
            for group_id in groups:
                if (group_id, month) != group_missed:
                    add(branch_id, K.GROUP_MEETING, _at(year, month, 18, 14), A.GROUP, group_id)
        for quarter in range(4):
            first = quarter * 3 + 1
            if quarter == 1:
                # The second quarter's lecture is given at the member assembly: it counts for both.
                add(branch_id, K.LECTURE, _lecture_at_assembly(year), A.BRANCH)
                continue
            add(branch_id, K.ASSEMBLY, _at(year, first, 12, 14), A.BRANCH)
            add(branch_id, K.LECTURE, _at(year, first + 1, 15, 14), A.BRANCH)
    return planned


# How attendance is spread, by a number 0–99 drawn from the session's and the member's ids:
# (below, status, reason); the last row takes the rest.
SPREAD = (
    (90, Attendance.Status.PRESENT, ""),
    (96, Attendance.Status.EXCUSED, "出差"),
    (100, Attendance.Status.ABSENT, "值班未请假"),
)


def _attendance(sessions: QuerySet) -> int:
    """Take every session's attendance in the database, one INSERT … SELECT per audience: the
    whole branch, one Party group, the branch committee (active members only). About nine in
    ten present, six in a hundred excused, the rest absent, spread by the two ids (at 100,000
    members there are close to two million rows: none of them passes through Python)."""
    session_ids = sessions.filter(attendance_taken_at__isnull=False).values("pk")
    active = Member.objects.filter(is_active=True)
    audiences = {
        A.BRANCH: ("branch__study_sessions", active),
        A.GROUP: ("group__study_sessions", active),
        A.COMMITTEE: ("branch__study_sessions", active.exclude(committee_role=Member.CommitteeRole.NONE)),
    }
    written = 0
    for audience, (path, members) in audiences.items():
        session = F(f"{path}__pk")
        roll = Mod(session * 7919 + F("pk") * 104729, 100)
        status, reason = (
            Case(
                *[When(roll__lt=row[0], then=Value(row[column])) for row in SPREAD[:-1]],
                default=Value(SPREAD[-1][column]),
            )
            for column in (1, 2)
        )
        rows = (
            members.filter(**{f"{path}__audience": audience, f"{path}__in": session_ids})
            .annotate(roll=roll)
            .values_list(session, "pk", status, reason)
        )
        written += insert_selected(Attendance._meta.db_table, ("session_id", "member_id", "status", "reason"), rows)
    return written


@dataclass
class BuiltSessions:
    restudy_of: dict[int, int]  # branch id → its upcoming re-study session's id
    sessions: int
    attendance: int


def build_sessions(
    *,
    by_branch: dict[int, list[dict]],
    groups_of: dict[int, list[int]],
    secretary_user: dict[int, int | None],
    rng: random.Random,
    now: datetime.datetime,
) -> BuiltSessions:
    """The year's sessions so far, with their attendance, and one upcoming re-study per branch."""
    planned = plan_year(by_branch=by_branch, groups_of=groups_of, secretary_user=secretary_user, rng=rng, now=now)
    upcoming = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    for branch_id in by_branch:
        planned.append(
            {
                "branch_id": branch_id,
                "kind": K.RESTUDY,
                "title": "集中重学：党性分析的方法与要求",
                "content_tag": StudySession.ContentTag.PRESCRIBED,
                "content": "重学党性分析的要求，对照标准重新查找问题。",
                "requirements": "报告单被退回的党员参加。",
                "starts_at": upcoming + datetime.timedelta(days=10),
                "location": "党员活动室",
                "audience": A.ASSIGNED,
                "created_by_id": secretary_user.get(branch_id),
            }
        )
    before = StudySession.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_records(StudySession, planned)
    new = StudySession.objects.filter(pk__gt=before)
    attendance = _attendance(new)
    rules_in_force()  # the usual requirements, should none exist
    assembly = MeetingRule.objects.filter(kind=K.ASSEMBLY).first()
    if assembly is not None and may_also_count(assembly, kind=K.LECTURE, audience=A.BRANCH):
        lectures = new.filter(kind=K.LECTURE, starts_at=_lecture_at_assembly(timezone.localtime(now).year))
        insert_selected(
            StudySession.also_counts_for.through._meta.db_table,
            ("studysession_id", "meetingrule_id"),
            lectures.values_list("pk", Value(assembly.pk)),
        )
    restudy_of = dict(new.filter(kind=K.RESTUDY).values_list("branch_id", "pk"))
    return BuiltSessions(restudy_of, len(planned), attendance)
