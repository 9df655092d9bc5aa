"""Demo data for pioneer posts and warmth delivery: current and past pioneer posts in every
branch, four-bests recognitions over the last quarters and last year, responsibility areas
with their three fixes and four guarantees, contact points, and a help log over this
quarter and the three before it — with some members who have logged nothing this quarter.

Everything is built from one read of the roster and inserted in bulk: no query per member,
so a 100,000-member company takes seconds. The same seed builds the same data. The large
warmth tables are inserted as plain rows without history (seeded rows have no author to
record); pioneer posts and recognitions are saved with theirs.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.models import Member
from partybuild.lib.quarters import Quarter

from ..models import ContactPoint, HelpRecord, PioneerPost, Recognition, ResponsibilityArea

BATCH = 5000
Kind = HelpRecord.Kind

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国志文斌辉宇浩凯婷雪琳晨阳"
CONTACT_POSTS = ["巡检工", "值班员", "检修工", "化验员", "司机", "仓库保管员", "电工", "焊工", "资料员", "班组成员"]
AREAS = [
    "{post}岗位所在班组的作业现场，包括设备区、工具间和交接班区域",
    "本班组{n}名职工的思想动态和安全生产，重点是新进青工",
    "{post}岗位负责的设备及其周边区域，含日常巡检路线上的全部测点",
    "所在工段的安全文明生产和班组台账资料",
]
FIXED_DUTY = [
    "严格执行{post}岗位操作规程，做好设备巡检、缺陷登记和交接班工作",
    "负责责任区内设备运行状态监视与异常处置，配合检修做好安全措施",
    "负责班组资料台账的规范填写和报送，做到数据准确、及时",
]
FIXED_TARGETS = [
    "全年责任区内零违章、零事故，设备缺陷发现率100%",
    "年度操作无差错，台账资料准确率100%，带出一名能独立上岗的徒弟",
    "完成年度生产任务，提出合理化建议不少于两条",
]
GUARANTEES = {
    "guarantee_tasks": ["包本岗位年度任务按期完成，不拖后腿", "包责任区内各项工作任务逐项落实、件件有回音"],
    "guarantee_safety": ["包责任区全年无违章、无事故，隐患发现即报即改", "包作业前安全交底到人，杜绝习惯性违章"],
    "guarantee_management": ["包推行班组管理标准化，台账规范整齐", "包每季度提出一条改进管理的建议"],
    "guarantee_stability": ["包联系职工思想稳定，矛盾不出班组", "包每月与联系点职工谈心一次，及时掌握思想动态"],
}
HELP_TEXT = {
    Kind.THINKING: [
        "与{name}谈心谈话，讲解公司改革政策，帮助其消除顾虑",
        "针对{name}对岗位调整的想法，耐心沟通，帮助其端正认识",
    ],
    Kind.SKILLS: ["手把手教{name}掌握新版操作票的填写要求", "利用班后时间帮助{name}复习{post}岗位技能鉴定要点"],
    Kind.LIVING: ["了解到{name}家中老人住院，协助联系医院并帮助调班", "帮助{name}解决子女入学咨询的困难"],
    Kind.MANAGEMENT: ["帮助{name}梳理班组台账，规范记录格式", "协助{name}完善设备巡检路线和记录表"],
    Kind.MIND: ["{name}近期工作压力大，多次交流疏导，帮助其调整情绪", "陪同{name}参加公司心理健康讲座，做好后续交流"],
    Kind.MENTORING: ["与{name}签订师徒协议，本月完成两项操作带教", "带领{name}参加设备消缺，现场讲解处理要点"],
    Kind.WARMTH: ["节前走访{name}家，送去慰问品和组织的关心", "{name}生病住院，代表党小组前往看望"],
    Kind.HARMONY: ["调解{name}与同事之间因排班产生的矛盾", "组织班组活动，促进{name}与新同事融合"],
}
OUTCOMES = ["", "", "对方表示感谢，情绪稳定", "已能独立完成该项操作", "问题已解决"]
STANDARDS = {
    PioneerPost.Kind.SAFETY: "执行制度、遵章守规最严：作业前安全交底不漏项，发现隐患立即报告整改，责任区全年零违章。",
    PioneerPost.Kind.MANAGEMENT: "坚持标准、严格要求最好：台账资料准确规范，班组管理流程化、标准化，"
    "每季度提出改进建议。",
    PioneerPost.Kind.EFFICIENCY: "主动承担、敢于负责最强：最重的工作主动完成，最难的问题带头解决，"
    "指标完成率全班组第一。",
}
RECOGNITION_NOTES = {
    Recognition.Best.RECORDS: ["全季度运行记录、交接班记录零差错", "设备台账资料在公司检查中被评为样板"],
    Recognition.Best.OPERATION: ["季度操作考核全优，无一次误操作", "技能比武中操作规范性满分"],
    Recognition.Best.CONDUCT: ["急难险重任务冲在前面，连续加班抢修设备", "严守纪律规矩，群众评价高"],
    Recognition.Best.RESULTS: ["指标完成率全班组第一", "提出的合理化建议年节约成本十余万元"],
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _day_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


@transaction.atomic
def build(*, seed: int, today: datetime.date) -> dict[str, int]:
    rng = random.Random(seed * 53 + 11)
    current = Quarter.of(today)
    quarters = [current, current.previous(), current.previous().previous(), current.previous().previous().previous()]
    members = list(
        Member.objects.filter(is_active=True)
        .order_by("branch__sort_order", "employee_no")
        .values_list("pk", "branch_id", "group_id", "post", "user_id", "committee_role", "user__username")
    )
    by_branch: dict[int, list[tuple]] = defaultdict(list)
    for m in members:
        by_branch[m[1]].append(m)
    secretary_user = {
        b: next((m[4] for m in ms if m[5] == Member.CommitteeRole.SECRETARY), None) for b, ms in by_branch.items()
    }
    demo_member_pks = {m[0] for m in members if m[6] in {"member1", "member2", "leader1"}}

    # --- pioneer posts: about one member in eight, this year's; a few last year's, ended.
    posts: list[PioneerPost] = []
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    kinds = PioneerPost.Kind.values
    for branch_id, branch_members in by_branch.items():
        for index, (pk, _b, group_id, post, *_rest) in enumerate(branch_members):
            if not post:
                continue
            chosen = pk in demo_member_pks or index % 8 == 3
            kind = kinds[(index // 8 + branch_id) % len(kinds)]
            if chosen:
                start = min(today, year_start + datetime.timedelta(days=rng.randint(0, 40)))
                posts.append(
                    PioneerPost(
                        member_id=pk,
                        branch_id=branch_id,
                        group_id=group_id,
                        kind=kind,
                        post_name=post,
                        starts_on=start,
                        ends_on=year_end,
                        standards=STANDARDS[kind],
                        designated_by_id=secretary_user[branch_id],
                    )
                )
            if index % 16 == 5:
                planned = datetime.date(today.year - 1, 12, 31)
                ended_early = index % 32 == 5
                posts.append(
                    PioneerPost(
                        member_id=pk,
                        branch_id=branch_id,
                        group_id=group_id,
                        kind=kind,
                        post_name=post,
                        starts_on=datetime.date(today.year - 1, 1, 1),
                        ends_on=datetime.date(today.year - 1, 9, 30) if ended_early else planned,
                        planned_ends_on=planned if ended_early else None,
                        end_reason="岗位调整，调往其他班组" if ended_early else "",
                        standards=STANDARDS[kind],
                        designated_by_id=secretary_user[branch_id],
                    )
                )
    bulk_create_with_history(posts, PioneerPost, batch_size=BATCH, default_change_reason="seed_demo")

    # --- four-bests recognitions: a few a branch for each past quarter, and last year's.
    recognitions: list[Recognition] = []
    bests = Recognition.Best.values
    periods = [(q.year, q.number, min(today, q.last_day)) for q in quarters[1:]]
    periods.append((today.year - 1, Recognition.WHOLE_YEAR, datetime.date(today.year, 1, 10)))
    if today >= current.first_day + datetime.timedelta(days=20):
        periods.append((current.year, current.number, today))
    for branch_id, branch_members in by_branch.items():
        for year, quarter, awarded_on in periods:
            if awarded_on > today:
                continue
            count = max(2, len(branch_members) // 25)
            for pk, _b, group_id, *_rest in rng.sample(branch_members, min(count, len(branch_members))):
                best = rng.choice(bests)
                recognitions.append(
                    Recognition(
                        member_id=pk,
                        branch_id=branch_id,
                        group_id=group_id,
                        best=best,
                        year=year,
                        quarter=quarter,
                        awarded_on=awarded_on,
                        note=rng.choice(RECOGNITION_NOTES[best]),
                        awarded_by_id=secretary_user[branch_id],
                    )
                )
    unique: dict[tuple, Recognition] = {}
    for r in recognitions:
        unique.setdefault((r.member_id, r.best, r.year, r.quarter), r)
    recognitions = list(unique.values())
    bulk_create_with_history(recognitions, Recognition, batch_size=BATCH, default_change_reason="seed_demo")

    # --- responsibility areas and contact points: nine members in ten.
    now = timezone.now()
    areas: list[tuple] = []
    contacts: list[tuple] = []  # (member, name, post) of each, in insertion order
    contact_no = 0
    for branch_members in by_branch.values():
        for index, (pk, _b, _g, post, user_id, *_rest) in enumerate(branch_members):
            if index % 10 == 7 and pk not in demo_member_pks:
                continue
            post = post or "本岗位"
            areas.append(
                (
                    pk,
                    rng.choice(AREAS).format(post=post, n=rng.randint(4, 9)),
                    post,
                    rng.choice(FIXED_DUTY).format(post=post),
                    rng.choice(FIXED_TARGETS),
                    *(rng.choice(texts) for texts in GUARANTEES.values()),
                    1,
                    user_id,
                    now,
                )
            )
            for _i in range(1 + (rng.random() < 0.5)):
                contact_no += 1
                contacts.append(
                    (
                        pk,
                        _name(rng),
                        f"Z{contact_no:06d}" if rng.random() < 0.5 else "",
                        rng.choice(CONTACT_POSTS),
                        rng.choice(["", "", "家中有老人需要照顾", "新入职青工", "近期有调岗意向"]),
                        True,
                        1,
                        now,
                    )
                )
    _insert(ResponsibilityArea, AREA_FIELDS, areas)
    first_contact = (ContactPoint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    _insert(ContactPoint, CONTACT_FIELDS, contacts)
    contact_pks = list(ContactPoint.objects.filter(pk__gte=first_contact).order_by("pk").values_list("pk", flat=True))

    # --- the help log: this quarter and the three before it, thinning out with age. About
    # a quarter of the members with contact points have logged nothing yet this quarter.
    member_info = {m[0]: m for m in members}
    contacts_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for contact_pk, (owner, name, *_rest) in zip(contact_pks, contacts, strict=True):
        contacts_of[owner].append((contact_pk, name))
    kinds_all = Kind.values
    chance = [0.75, 0.6, 0.35, 0.3]  # of logging anything, by quarter, newest first
    records: list[tuple] = []
    logged_now: set[int] = set()
    for pk, own_contacts in contacts_of.items():
        _pk, branch_id, group_id, post, user_id, *_rest = member_info[pk]
        for q_index, quarter in enumerate(quarters):
            if pk not in demo_member_pks and rng.random() >= chance[q_index]:
                continue
            if q_index == 0:
                logged_now.add(pk)
            last = min(today, quarter.last_day)
            for _i in range(1 + (rng.random() < 0.3)):
                kind = rng.choice(kinds_all)
                contact_pk, contact_name = rng.choice(own_contacts) if rng.random() < 0.85 else (None, "班组职工")
                records.append(
                    (
                        pk,
                        branch_id,
                        group_id,
                        contact_pk,
                        kind,
                        _day_in(rng, quarter.first_day, last),
                        rng.choice(HELP_TEXT[kind]).format(name=contact_name, post=post or "本岗位"),
                        rng.choice(OUTCOMES),
                        user_id,
                        1,
                        now,
                    )
                )
    _insert(HelpRecord, HELP_FIELDS, records)
    return {
        "pioneer_posts": len(posts),
        "recognitions": len(recognitions),
        "areas": len(areas),
        "contact_points": len(contacts),
        "help_records": len(records),
        "without_help_this_quarter": len(members) - len(logged_now),
    }


AREA_FIELDS = [
    "member",
    "description",
    "fixed_post",
    "fixed_duty",
    "fixed_targets",
    *GUARANTEES,
    "version",
    "updated_by",
    "updated_at",
]
CONTACT_FIELDS = ["member", "name", "employee_no", "post", "note", "is_active", "version", "created_at"]
HELP_FIELDS = [
    "member",
    "branch",
    "group",
    "contact_point",
    "kind",
    "helped_on",
    "content",
    "outcome",
    "recorded_by",
    "version",
    "created_at",
]


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert plain rows, bypassing model instances.

    At 100,000 members the warmth tables get hundreds of thousands of rows, and
    building and preparing a Django model instance for each costs several times
    what the database spends storing it. Dates and times are adapted for the
    backend here, as the ORM would; on PostgreSQL the rows go in multi-row
    INSERTs (``execute_values``), on SQLite through ``executemany``.
    """
    if not rows:
        return
    ops = connection.ops
    model_fields = [model._meta.get_field(name) for name in fields]
    adapters = []
    for field in model_fields:
        if isinstance(field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    if any(adapters):
        rows = [
            tuple(adapt(value) if adapt else value for adapt, value in zip(adapters, row, strict=True)) for row in rows
        ]
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=BATCH)  # noqa: S608
        else:
            for start in range(0, len(rows), BATCH):
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    rows[start : start + BATCH],
                )


def reset() -> None:
    """Remove every pioneer post, recognition and warmth record and their history
    (before the roster they point at).

    Plain DELETEs: the ORM's delete() would load every row and write a history row
    for each, which at demo scale takes minutes.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (HelpRecord, ContactPoint, ResponsibilityArea, Recognition, PioneerPost):
            for table in (model._meta.db_table, model.history.model._meta.db_table):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
