"""Demo data for suggestion forms and themed Party days, built on the demo roster.

Each branch gets suggestions in every state with their threads (member1's branch
first, so the demo logins see them), and three Party days held recently, one of each
kind, with participants, attendance, roles, reports, talks, stories and reflections,
plus one day planned ahead. The first ``DEMO_BRANCHES`` branches get them, so a
100,000-member demo stays quick. Everything is inserted in bulk; the same seed
builds the same data.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.models import Branch, Member, User
from partybuild.lib.quarters import Quarter
from study.models import MeetingRule, StudySession

from ..models import PartyDay, PartyDayContribution, PartyDayLog, PartyDayParticipant, Suggestion, SuggestionEntry

DEMO_BRANCHES = 30
SUGGESTIONS_PER_BRANCH = 12

S = Suggestion.Status
Att = PartyDayParticipant.Attendance
Role = PartyDay.Role
CKind = PartyDayContribution.Kind

# (subject, situation met at the post, real problem, suggestion)
SUGGESTIONS = [
    (
        "夜班交接班记录不完整",
        "近期夜班交接时，多次发现设备巡检记录只写“正常”，缺少具体参数。",
        "交接内容靠口头传达，隐患容易在交接环节遗漏，出了问题难以追溯。",
        "制定交接班检查清单，关键参数逐项填写，交接双方签字确认。",
    ),
    (
        "备品备件领用流程过长",
        "上周抢修时领用一个密封件，审批签字跑了三个部门，耽误近两小时。",
        "应急抢修与日常领用走同一流程，抢修时效得不到保证。",
        "设立抢修应急备件柜，班组长可先领后补手续，每月统一核销。",
    ),
    (
        "新员工实操培训不足",
        "今年新入职的三名员工独立操作时，对倒闸操作票的执行顺序不熟悉。",
        "培训以课堂讲授为主，现场实操机会少，师带徒没有考核。",
        "落实“传帮带”，每名党员骨干结对一名新员工，每月实操考核一次。",
    ),
    (
        "巡检路线重复耗时",
        "现行巡检路线有两段需要折返，一次全厂巡检比必要的多走约二十分钟。",
        "路线是多年前按老设备布置定的，设备改造后没有调整。",
        "按现有设备布置重新规划巡检路线，并在巡检仪中更新点位。",
    ),
    (
        "现场安全警示标识褪色",
        "二号机组平台部分安全警示标识褪色、脱落，夜间几乎看不清。",
        "标识更换没有固定周期，靠发现一处换一处。",
        "建立安全标识台账，每季度检查一次，褪色的统一更换为反光材料。",
    ),
    (
        "职工食堂夜班供餐时间短",
        "夜班职工反映食堂夜宵供应只到零点，后半夜下班的同事吃不上热饭。",
        "供餐时间按白班作息安排，没有兼顾倒班职工。",
        "延长夜宵供应至凌晨两点，或在值班楼配置微波炉和自助餐柜。",
    ),
    (
        "技术资料查找不便",
        "检修时查图纸要到档案室借阅纸质资料，下班后无法查询。",
        "技术资料没有电子化，版本也不统一，存在用旧图纸的风险。",
        "把常用图纸和作业指导书扫描上传到内网，统一版本管理。",
    ),
    (
        "班组学习时间难保证",
        "班组每周的政治理论学习常因生产任务临时取消。",
        "学习安排与生产计划没有统筹，“四个刚性约束”落实不到位。",
        "把学习时间排进周生产计划，确需调整的提前报支部备案并补学。",
    ),
]
REPLIES = [
    "支部已收到，正在与相关部门沟通，下周给出答复。",
    "建议很实在，支委会已研究，安排专人跟进落实。",
    "已协调设备部现场查看，情况属实，正在制定整改方案。",
]
CONCLUSIONS = [
    "已按建议落实，相关制度本月起执行，感谢你为组织提个醒。",
    "整改已完成，经现场复查效果良好，此事办结。",
    "经研究采纳部分建议，已纳入下季度工作计划，办结。",
]
ESCALATIONS = [
    "涉及公司层面制度调整，支部无法单独解决，提请公司党委研究。",
    "需要跨部门协调和资金支持，报请公司党委协调解决。",
]
COMPANY_REPLIES = ["公司党委组织部已转相关部门研究，将在月底前答复。"]
COMMENTS = ["补充一点：其他班组也存在类似情况。", "最近又发生了一次，情况更紧急了。"]

OPEN_DESTINATIONS = [
    (PartyDay.Destination.BENCHMARK, "检修一班“工人先锋号”", "走进标杆班组，对标找差距"),
    (PartyDay.Destination.FRONT_LINE, "三号机组大修现场", "走进生产一线，在大修中亮身份"),
    (PartyDay.Destination.SISTER_UNIT, "兄弟单位运行部", "走出本职岗位，学习兄弟单位先进经验"),
]
INTERACTIVE_THEMES = ["党员汇报思想和工作，老中青讲成长经历", "谈心谈话促提升，交流感悟增感情"]
EXPERIENTIAL_THEMES = ["当一天干部、当一次安全员，换位思考促实效", "体验岗位角色，增强担当意识"]
ROLE_DETAILS = {
    Role.CADRE: ["当一天值长", "当一天班组长"],
    Role.SAFETY: ["当一次安全员", "当一次安全监护人"],
    Role.SKILLS: ["当一回技能专家", "当一回技术讲解员"],
}
REFLECTIONS = [
    "这次活动让我看到了自己和标杆的差距，今后要在操作标准化上下功夫。",
    "换位思考后才体会到管理的难处，以后要更主动地配合班组工作。",
    "听老党员讲成长经历很受触动，要把“最重的工作党员完成”落实在岗位上。",
    "当了一次安全员，才发现平时习以为常的小隐患其实很多，安全无小事。",
    "和兄弟单位交流后，明确了下一步的目标和方向。",
]
CONTRIBUTIONS = [
    (CKind.THINKING_REPORT, "", "", "汇报近期思想状况：对岗位调整有过顾虑，通过学习和谈心已经理顺。"),
    (CKind.WORK_REPORT, "", "", "汇报本季度检修任务完成情况和技术攻关进展。"),
    (CKind.HEART_TALK, "", "支部书记", "谈家庭困难和工作压力，支部表示将协调解决倒班安排。"),
    (CKind.STORY, "old", "", "讲述三十年前参加建厂会战的经历，勉励年轻党员扎根岗位。"),
    (CKind.STORY, "middle", "", "讲述自己从普通工人成长为技术骨干的经历。"),
    (CKind.STORY, "young", "", "讲述入党以来在急难险重任务中的收获与成长。"),
]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def build(*, seed: int, today: datetime.date) -> dict[str, int]:
    """Suggestions in every state and Party days of each kind for the demo roster."""
    rng = random.Random(seed)
    admin = User.objects.filter(is_staff=True).order_by("pk").first()
    branches = list(Branch.objects.order_by("sort_order", "pk")[:DEMO_BRANCHES])
    members_of: dict[int, list[Member]] = {b.pk: [] for b in branches}
    for m in Member.objects.filter(branch__in=branches, is_active=True).order_by("employee_no"):
        members_of[m.branch_id].append(m)

    suggestions: list[Suggestion] = []
    threads: list[list[tuple[str, str, str, str, int | None]]] = []  # (action, from, to, text, actor user id)
    days: list[PartyDay] = []
    day_people: list[list[tuple[Member, str, str, str, str]]] = []  # (member, attendance, role, detail, reflection)
    day_talks: list[list[tuple[Member, tuple]]] = []

    states = [S.SUBMITTED, S.ACKNOWLEDGED, S.ESCALATED, S.CLOSED, S.CLOSED, S.WITHDRAWN]
    for branch in branches:
        people = members_of[branch.pk]
        people = [m for m in people if m.user_id]
        handlers = [m for m in people if m.committee_role]
        if not people or not handlers:
            continue
        handler = handlers[0].user_id
        authors = [m for m in people if not m.committee_role] or people
        for k in range(min(SUGGESTIONS_PER_BRANCH, len(authors) * 2)):
            author = authors[k % len(authors)]
            state = states[k % len(states)]
            title, situation, problem, proposal = SUGGESTIONS[(k + branch.pk) % len(SUGGESTIONS)]
            created = _at(today - datetime.timedelta(days=rng.randint(2, 80)), rng.randint(8, 17))
            steps: list[tuple[str, str, str, str, int | None]] = [("submit", "", S.SUBMITTED, "", author.user_id)]
            if state == S.WITHDRAWN:
                steps.append(("withdraw", S.SUBMITTED, S.WITHDRAWN, "与班长沟通后已现场解决。", author.user_id))
            if state in (S.ACKNOWLEDGED, S.ESCALATED, S.CLOSED):
                steps.append(("reply", S.SUBMITTED, S.ACKNOWLEDGED, rng.choice(REPLIES), handler))
                if k % 3 == 0:
                    steps.append(("comment", S.ACKNOWLEDGED, S.ACKNOWLEDGED, rng.choice(COMMENTS), author.user_id))
            if state == S.ESCALATED or (state == S.CLOSED and k % 4 == 3):
                steps.append(("escalate", S.ACKNOWLEDGED, S.ESCALATED, rng.choice(ESCALATIONS), handler))
                if state == S.CLOSED and admin is not None:
                    steps.append(("reply", S.ESCALATED, S.ESCALATED, COMPANY_REPLIES[0], admin.pk))
                    steps.append(("close", S.ESCALATED, S.CLOSED, rng.choice(CONCLUSIONS), admin.pk))
            elif state == S.CLOSED:
                steps.append(("close", S.ACKNOWLEDGED, S.CLOSED, rng.choice(CONCLUSIONS), handler))
            final = steps[-1][2]
            row = Suggestion(
                member=author,
                branch_id=branch.pk,
                group_id=author.group_id,
                post=author.post,
                title=title,
                situation=situation,
                problem=problem,
                suggestion=proposal,
                status=final,
                quarter=Quarter.of(timezone.localdate(created)).code,
                version=len(steps),
                created_at=created,
            )
            stamps = {"acknowledged_at": S.ACKNOWLEDGED, "escalated_at": S.ESCALATED, "closed_at": S.CLOSED}
            for i, step in enumerate(steps):
                for field, state_name in stamps.items():
                    if step[2] == state_name and getattr(row, field) is None:
                        setattr(row, field, created + datetime.timedelta(days=i, hours=2))
            suggestions.append(row)
            threads.append(steps)

        # Three days held, one of each kind, and one planned ahead.
        destination_kind, destination, open_theme = OPEN_DESTINATIONS[branch.pk % len(OPEN_DESTINATIONS)]
        plans = [
            PartyDay(
                branch=branch,
                kind=PartyDay.Kind.OPEN,
                theme=open_theme,
                held_on=today - datetime.timedelta(days=40),
                place=destination,
                destination_kind=destination_kind,
                destination=destination,
                plan="参观现场，听取先进经验介绍，座谈交流找差距、定目标。",
                summary="参观学习后，大家对照标杆找差距，明确了本班组的改进目标。",
                status=PartyDay.Status.HELD,
            ),
            PartyDay(
                branch=branch,
                kind=PartyDay.Kind.INTERACTIVE,
                theme=INTERACTIVE_THEMES[branch.pk % len(INTERACTIVE_THEMES)],
                held_on=today - datetime.timedelta(days=20),
                place="党员活动室",
                plan="党员汇报思想和工作；支部书记与党员谈心谈话；老中青三代党员讲述成长经历。",
                summary="改变“一人讲大家听”的模式，党员与组织、党员与党员之间思想互动。",
                status=PartyDay.Status.HELD,
            ),
            PartyDay(
                branch=branch,
                kind=PartyDay.Kind.EXPERIENTIAL,
                theme=EXPERIENTIAL_THEMES[branch.pk % len(EXPERIENTIAL_THEMES)],
                held_on=today - datetime.timedelta(days=6),
                place="生产现场",
                planned_roles=[Role.CADRE, Role.SAFETY, Role.SKILLS],
                plan="党员分组轮换担任值长、安全员和技能专家，活动后交流体会。",
                summary="党员转变角色参与工作，查出现场隐患多处，实现换位思考。",
                status=PartyDay.Status.HELD,
            ),
            PartyDay(
                branch=branch,
                kind=PartyDay.Kind.OPEN,
                theme="走进生产一线，看水平、找差距",
                held_on=today + datetime.timedelta(days=10),
                place="燃料输送现场",
                destination_kind=PartyDay.Destination.FRONT_LINE,
                destination="燃料输送班组",
                plan="现场观摩输煤系统运行，听取班组安全生产经验介绍。",
                status=PartyDay.Status.PLANNED,
            ),
        ]
        for day in plans:
            day.created_by_id = handler
            roster = []
            held = day.status == PartyDay.Status.HELD
            for i, m in enumerate(people):
                if not held:
                    roster.append((m, "", "", "", ""))
                    continue
                roll = rng.random()
                attendance = Att.PRESENT if roll < 0.85 else (Att.EXCUSED if roll < 0.95 else Att.ABSENT)
                role = detail = ""
                if day.kind == PartyDay.Kind.EXPERIENTIAL and attendance == Att.PRESENT:
                    role = [Role.CADRE, Role.SAFETY, Role.SKILLS][i % 3]
                    detail = rng.choice(ROLE_DETAILS[role])
                reflection = rng.choice(REFLECTIONS) if attendance == Att.PRESENT and rng.random() < 0.6 else ""
                roster.append((m, attendance, role, detail, reflection))
            talks = []
            if day.kind == PartyDay.Kind.INTERACTIVE:
                present = [r[0] for r in roster if r[1] == Att.PRESENT]
                for j, item in enumerate(CONTRIBUTIONS[: len(present)]):
                    talks.append((present[j], item))
            days.append(day)
            day_people.append(roster)
            day_talks.append(talks)

    # bulk_create lets auto_now_add overwrite the creation times: keep the demo's to put back.
    created = [row.created_at for row in suggestions]
    bulk_create_with_history(suggestions, Suggestion, batch_size=2000, default_change_reason="seed_demo")
    saved = list(Suggestion.objects.filter(pk__in=[s.pk for s in suggestions]).order_by("pk"))
    by_pk = {s.pk: when for s, when in zip(suggestions, created, strict=True)}
    for row in saved:
        row.created_at = by_pk[row.pk]
    Suggestion.objects.bulk_update(saved, ["created_at"], batch_size=2000)
    entries: list[SuggestionEntry] = []
    for row, steps in zip(suggestions, threads, strict=True):
        for i, (action, from_status, to_status, text, actor_id) in enumerate(steps):
            entries.append(
                SuggestionEntry(
                    suggestion=row,
                    actor_id=actor_id,
                    action=action,
                    from_status=from_status,
                    to_status=to_status,
                    text=text,
                    created_at=by_pk[row.pk] + datetime.timedelta(days=i, hours=2 if i else 0),
                )
            )
    when = [e.created_at for e in entries]
    SuggestionEntry.objects.bulk_create(entries, batch_size=5000)
    for entry, at in zip(entries, when, strict=True):
        entry.created_at = at
    SuggestionEntry.objects.bulk_update(entries, ["created_at"], batch_size=5000)

    for day in days:
        if day.status == PartyDay.Status.HELD:
            day.attendance_taken_at = _at(day.held_on, 18)
    bulk_create_with_history(days, PartyDay, batch_size=2000, default_change_reason="seed_demo")
    participants, contributions, log = [], [], []
    for day, roster, talks in zip(days, day_people, day_talks, strict=True):
        for m, attendance, role, detail, reflection in roster:
            participants.append(
                PartyDayParticipant(
                    party_day=day,
                    member=m,
                    attendance=attendance,
                    absence_reason="倒班" if attendance == Att.EXCUSED else "",
                    role=role,
                    role_detail=detail,
                    reflection=reflection,
                    reflection_at=_at(day.held_on + datetime.timedelta(days=1), 20) if reflection else None,
                )
            )
        for m, (kind, generation, talked_with, summary) in talks:
            contributions.append(
                PartyDayContribution(
                    party_day=day,
                    member=m,
                    kind=kind,
                    generation=generation,
                    talked_with=talked_with,
                    summary=summary,
                    recorded_by_id=day.created_by_id,
                )
            )
        log.append(
            PartyDayLog(party_day=day, actor_id=day.created_by_id, action="plan", from_status="", to_status="planned")
        )
        if day.status == PartyDay.Status.HELD:
            log.append(
                PartyDayLog(
                    party_day=day, actor_id=day.created_by_id, action="hold", from_status="planned", to_status="held"
                )
            )
    bulk_create_with_history(participants, PartyDayParticipant, batch_size=5000, default_change_reason="seed_demo")
    bulk_create_with_history(contributions, PartyDayContribution, batch_size=2000, default_change_reason="seed_demo")
    PartyDayLog.objects.bulk_create(log, batch_size=5000)
    # 三会一课: the interactive day was held together with the Party group meetings, and counts for them.
    group_rule = MeetingRule.objects.filter(kind=StudySession.Kind.GROUP_MEETING, may_combine=True).first()
    if group_rule is not None:
        PartyDay.counts_for.through.objects.bulk_create(
            [
                PartyDay.counts_for.through(partyday_id=day.pk, meetingrule_id=group_rule.pk)
                for day in days
                if day.kind == PartyDay.Kind.INTERACTIVE and day.status == PartyDay.Status.HELD
            ],
            batch_size=5000,
        )
    return {
        "suggestions": len(suggestions),
        "suggestion_entries": len(entries),
        "party_days": len(days),
        "participants": len(participants),
        "reflections": sum(1 for p in participants if p.reflection),
        "contributions": len(contributions),
    }


def reset() -> None:
    """Remove suggestion forms and Party days (run before the roster is removed)."""
    with transaction.atomic():
        PartyDay.objects.all().delete()
        Suggestion.objects.all().delete()
        for model in (PartyDay, PartyDayParticipant, PartyDayContribution, Suggestion):
            model.history.all().delete()
