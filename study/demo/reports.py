"""Demo data for Platform 1: the year's study sessions with attendance (study.demo.sessions),
this quarter's reports in every state (with their history), last quarter's approved reports
whose open measures carry over, talks from returned reports, and (study.demo.meetings)
one criticism meeting. Everything is inserted in bulk."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from members.models import Member, PartyGroup, User
from partybuild.lib.bulk_sql import insert_records, insert_rows
from partybuild.lib.quarters import Quarter

from ..models import (
    CriticismMeeting,
    QuarterlyReport,
    ReportProblem,
    ReportTransition,
    StudySession,
    Talk,
)
from .meetings import build_meeting
from .sessions import build_sessions

S = QuarterlyReport.Status
# The states this quarter's reports cycle through, "not started" being no report.
CYCLE = [None, S.DRAFT, S.WITH_GROUP, S.WITH_BRANCH, S.RETURNED, S.APPROVED]

INSIGHTS = [
    "通过学习，进一步认识到党员必须在岗位上发挥先锋模范作用，做到最重的工作党员完成。",
    "学习后更加明确了“应该做什么、主动做什么、不能做什么”，增强了角色意识和先锋意识。",
    "对照党章要求，认识到自己在理论学习上还不够系统，今后要把学习融入日常。",
]
ANALYSES = [
    "对照新时代党员标准，自己在思想上能够与党组织保持一致，但在主动担当方面还有差距。",
    "工作中能够完成任务，但创新意识不强，联系群众不够经常，需要在实践中加强党性锻炼。",
    "作风上能够严格要求自己，但有时存在“过得去”的思想，标准还需提高。",
]
PROBLEMS = [
    ("理论学习不够系统深入", "工作任务重，学习时间安排不够", "每周固定学习两小时，每月写一篇学习体会"),
    ("联系群众不够经常", "主动意识不强", "每月与联系点员工谈心不少于两次"),
    ("创新意识不强", "习惯按老办法做事", "本季度提出一条合理化建议"),
]


@transaction.atomic
def build(*, seed: int = 2026, today: datetime.date | None = None) -> dict[str, int]:
    rng = random.Random(seed * 31 + 7)
    now = timezone.now()
    today = today or timezone.localdate()
    current = Quarter.of(today)
    previous = current.previous()

    members = list(
        Member.objects.filter(is_active=True)
        .order_by("branch__sort_order", "employee_no")
        .values("pk", "branch_id", "group_id", "user_id", "committee_role")
    )
    by_branch: dict[int, list[dict]] = defaultdict(list)
    for m in members:
        by_branch[m["branch_id"]].append(m)
    user_of = {m["pk"]: m["user_id"] for m in members}
    leader_user = {g: user_of.get(leader) for g, leader in PartyGroup.objects.values_list("pk", "leader_id") if leader}
    groups_of: dict[int, list[int]] = defaultdict(list)
    for g, branch_id in PartyGroup.objects.order_by("sort_order").values_list("pk", "branch_id"):
        groups_of[branch_id].append(g)
    secretary_user = {
        b: next((m["user_id"] for m in ms if m["committee_role"] == Member.CommitteeRole.SECRETARY), None)
        for b, ms in by_branch.items()
    }
    committee_users = {
        b: [m["user_id"] for m in ms if m["committee_role"] != Member.CommitteeRole.NONE and m["user_id"]]
        for b, ms in by_branch.items()
    }
    admin_user = User.objects.filter(is_staff=True, is_active=True).order_by("pk").values_list("pk", flat=True).first()

    def branch_judge(m: dict) -> int | None:
        """Nobody judges themselves: the secretary, or for the secretary's own report another
        committee member, or the administrator where the branch has no other."""
        secretary = secretary_user.get(m["branch_id"])
        if secretary is not None and secretary != m["user_id"]:
            return secretary
        others = [u for u in committee_users.get(m["branch_id"], []) if u != m["user_id"]]
        return others[0] if others else admin_user

    # Sessions: the year so far (三会一课), plus one upcoming re-study per branch.
    built = build_sessions(by_branch=by_branch, groups_of=groups_of, secretary_user=secretary_user, rng=rng, now=now)
    restudy_of = built.restudy_of

    # Reports: last quarter approved for everyone; this quarter cycling through every state.
    # Dicts written with insert_records: at 100,000 members there are close to 200,000.
    reports: list[dict] = []
    paths: list[list[tuple[str, str, str, int | None]]] = []
    member1 = Member.objects.filter(user__username="member1").values_list("pk", flat=True).first()
    for index, m in enumerate(members):
        leader = leader_user.get(m["group_id"])
        if leader == m["user_id"]:
            leader = None  # a group leader's own report goes straight to the branch
        judge = branch_judge(m)
        for quarter in (previous, current):
            state = S.APPROVED if quarter == previous else CYCLE[index % len(CYCLE)]
            if quarter == current and m["pk"] == member1:
                state = None  # member1 writes this quarter's report in the demo walk-through
            if state is None:
                continue
            if state == S.WITH_GROUP and leader is None:
                state = S.WITH_BRANCH
            insight, analysis = rng.choice(INSIGHTS), rng.choice(ANALYSES)
            report = {
                "member_id": m["pk"],
                "quarter": quarter.code,
                "branch_id": m["branch_id"],
                "group_id": m["group_id"],
                "status": state,
                "insights": insight,
                "analysis": analysis,
                "org_life_notes": "按时参加支部党员大会和党小组会，积极发言。",
            }
            path: list[tuple[str, str, str, int | None]] = []
            if state != S.DRAFT:
                first = S.WITH_GROUP if leader else S.WITH_BRANCH
                path.append(("submit", S.DRAFT, first, m["user_id"]))
                report["submitted_at"] = now
                if leader and state != S.WITH_GROUP:
                    path.append(("forward", S.WITH_GROUP, S.WITH_BRANCH, leader))
                    report["group_opinion"] = "小组讨论认为报告内容实在，同意报支部。"
            if state == S.RETURNED:
                path.append(("return_branch", S.WITH_BRANCH, S.RETURNED, judge))
                report["returned_sections"] = [QuarterlyReport.Section.ANALYSIS, QuarterlyReport.Section.PROBLEMS]
            if state == S.APPROVED:
                path.append(("approve", S.WITH_BRANCH, S.APPROVED, judge))
                report["grade"] = rng.choice(
                    [QuarterlyReport.Grade.EXCELLENT, QuarterlyReport.Grade.QUALIFIED, QuarterlyReport.Grade.QUALIFIED]
                )
                report["truly_studied"] = report["truly_checked"] = True
                report["truly_rectified"] = rng.random() < 0.8
                report["evaluation"] = "学习认真，查摆问题具体，整改措施可行。"
                report["approved_at"] = now
            report["version"] = 1 + len(path)
            reports.append(report)
            paths.append(path)
    insert_records(QuarterlyReport, reports)
    report_ids = {
        (quarter, member_id): pk
        for quarter, member_id, pk in QuarterlyReport.objects.filter(
            quarter__in=[previous.code, current.code]
        ).values_list("quarter", "member_id", "pk")
    }

    problems, transitions, talks = [], [], []
    returned_seen = 0
    for report, path in zip(reports, paths, strict=True):
        report_id = report_ids[report["quarter"], report["member_id"]]
        text = PROBLEMS[report["member_id"] % len(PROBLEMS)]
        done = report["quarter"] == previous.code and report["member_id"] % 3 != 0
        problems.append(
            {
                "report_id": report_id,
                "problem": text[0],
                "cause": text[1],
                "measure": text[2],
                "status": ReportProblem.Status.DONE if done else ReportProblem.Status.IN_PROGRESS,
            }
        )
        for action, from_status, to_status, actor in path:
            if actor is None:
                continue
            comment, sections = "", []
            if action == "forward":
                comment = report["group_opinion"]
            elif action == "approve":
                comment = report["evaluation"]
            elif action == "return_branch":
                comment = "党性分析不够深刻，问题查找不具体，请重新分析并完善整改措施。"
                sections = report["returned_sections"]
            transitions.append(
                {
                    "report_id": report_id,
                    "actor_id": actor,
                    "action": action,
                    "from_status": from_status,
                    "to_status": to_status,
                    "comment": comment,
                    "sections": sections,
                }
            )
        if report["status"] == S.RETURNED:
            returned_seen += 1
        if report["status"] == S.RETURNED and returned_seen % 2 == 1:
            talks.append(
                {
                    "member_id": report["member_id"],
                    "branch_id": report["branch_id"],
                    "source": Talk.Source.REPORT_RETURN,
                    "report_id": report_id,
                    "reason": "报告单党性分析不深刻，需个别谈话帮助提高认识。",
                    "due_on": today + datetime.timedelta(days=7 if returned_seen % 4 == 1 else -3),
                }
            )
    insert_records(ReportProblem, problems)
    insert_records(ReportTransition, transitions)
    insert_records(Talk, talks)
    # Members whose reports were returned are assigned to the branch's re-study session.
    through = StudySession.assigned_members.through
    insert_rows(
        through._meta.db_table,
        ("studysession_id", "member_id"),
        (
            (restudy_of[r["branch_id"]], r["member_id"])
            for r in reports
            if r["status"] == S.RETURNED and r["branch_id"] in restudy_of
        ),
    )

    meetings = 0
    first_branch = next(iter(by_branch), None)
    if first_branch is not None:
        branch = Member.objects.get(pk=by_branch[first_branch][0]["pk"]).branch
        participants = list(Member.objects.filter(branch_id=first_branch, is_active=True).order_by("employee_no")[:8])
        build_meeting(branch=branch, members=participants, today=today, rng=rng)
        meetings = 1
    return {
        "sessions": built.sessions,
        "attendance": built.attendance,
        "reports": len(reports),
        "talks": len(talks),
        "meetings": meetings,
    }


def reset() -> None:
    """Remove every study record (before the roster it points at)."""
    with transaction.atomic():
        CriticismMeeting.objects.all().delete()
        Talk.objects.all().delete()
        QuarterlyReport.objects.all().delete()
        StudySession.objects.all().delete()
