"""Demo goal plan cards (5+X): the demo company's members' cards for a year in a
realistic spread of states, the X tasks their branch gave them, and for approved cards
the self-checks of the quarters already over, some reported, some reviewed, a few
returned; each with its history rows.

Everything is written by a couple of dozen INSERT … SELECT statements: which state a
member's card is in, and when each step happened, is picked in SQL from a hash of the
row's id, salted and timed by ``rng``. So the same seed builds the same cards, and
100,000 members take seconds. member1 gets no card: the demo walk-through has them
fill one in. Members of a branch without a secretary get none either (nobody would
approve it).

The f-strings below only put together fixed SQL and table names from the models'
_meta; every value travels as a parameter (hence the S608 waivers).
"""

from __future__ import annotations

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from members.models import Member, User
from partybuild.lib.bulk_sql import analyze
from partybuild.lib.quarters import Quarter

from ..models import GOAL_CARD, Card, CardItem, CardLog, SelfCheck, SelfCheckEntry

CS = Card.Status
KS = SelfCheck.Status
KIND = GOAL_CARD.kind

# How a hash in 0..99 falls into states: (upper bound, state); None is "no row".
CARD_BANDS = [(6, None), (16, CS.DRAFT), (26, CS.SUBMITTED), (32, CS.RETURNED), (100, CS.APPROVED)]
RETURNED_ON_THE_WAY = 15  # of 100 approved cards, how many were returned once before approval
# Self-checks of the latest quarter that is over, and of the earlier ones.
LATEST_CHECK_BANDS = [(15, None), (25, KS.DRAFT), (60, KS.REPORTED), (65, KS.RETURNED), (100, KS.ACKNOWLEDGED)]
EARLIER_CHECK_BANDS = [(5, None), (13, KS.REPORTED), (15, KS.RETURNED), (100, KS.ACKNOWLEDGED)]
BUCKETS = 16  # distinct timelines the rows are spread over

TEXTS = {
    "goals": [
        "全年本岗位安全生产零违章、零事故",
        "完成所负责设备的年度检修计划，设备完好率保持在98%以上",
        "牵头完成一项技术改造，降低班组能耗3%",
        "年度绩效考核达到优秀",
        "带出一名能独立上岗的新员工",
        "客户满意度保持在95%以上",
    ],
    "measures": [
        "每周开展一次设备隐患自查，发现问题当班整改",
        "主动承担急难险重任务，做到最重的工作党员先上",
        "每季度提出一条合理化建议",
        "与班组成员结成学习对子，开展岗位练兵",
        "建立个人工作台账，每月对照目标检查进度",
    ],
    "commitments": [
        "严守纪律，廉洁从业，不利用岗位谋私利",
        "按时参加组织生活，按时足额交纳党费",
        "在岗位上亮身份、作表率，接受群众监督",
        "遇到困难不推诿，工作任务不过夜",
    ],
    "study": [
        "每月精读一篇党的重要文献，撰写学习体会",
        "参加支部组织的集中学习，全年不缺席",
        "每季度完成一门岗位技能网络课程",
        "学习党章和党规党纪，做到熟知熟记",
    ],
    "masses": [
        "联系三名青年员工，每月谈心一次",
        "帮助联系点员工解决一件实际困难",
        "每季度走访一名困难职工家庭",
        "收集身边群众意见建议，及时向支部反映",
    ],
    "tasks": [
        "参加支部组织的安全生产督查",
        "承担一次主题党日的讲解任务",
        "帮带一名入党积极分子",
        "参与年度技术攻关小组",
        "负责本班组的党建宣传报道",
    ],
}
# (section, position, which cards get it: every card, or one in `every` by id)
SLOTS = [
    ("goals", 0, 1),
    ("goals", 1, 2),
    ("measures", 0, 1),
    ("measures", 1, 3),
    ("commitments", 0, 1),
    ("study", 0, 1),
    ("masses", 0, 1),
]
# A draft is half written: only these slots.
DRAFT_SLOTS = {("goals", 0), ("measures", 0)}
NOTES = {
    "done": ["按计划完成", "已完成，效果良好", "提前完成"],
    "in_progress": ["已完成大部分，下季度收尾", "正在推进，进度正常", "已启动，按计划进行"],
    "not_done": ["因检修任务集中未能完成，已调整到下季度", "条件暂不具备，已向支部说明"],
}
RETURN_COMMENT = "目标不够具体，请结合岗位把工作目标量化，并补充联系群众的具体安排。"
CHECK_RETURN_COMMENT = "未完成事项请写明原因和下一步措施。"


def _tables(*models) -> list[str]:
    return [connection.ops.quote_name(m._meta.db_table) for m in models]


def _case(expr: str, values: list) -> tuple[str, list]:
    """SQL choosing values[expr % len(values)], with the values as parameters."""
    whens = " ".join(f"WHEN {i} THEN %s" for i in range(len(values)))
    return f"CASE ({expr}) %% {len(values)} {whens} END", list(values)


def _band(expr: str, bands: list[tuple[int, str | None]], values: dict[str, object]) -> tuple[str, list]:
    """SQL giving ``values[state]`` for the band of ``bands`` the hash ``expr`` falls in."""
    whens, params = [], []
    for bound, state in bands:
        if state is not None:
            whens.append(f"WHEN {expr} < {bound} THEN %s")
            params.append(values[state])
    return f"CASE {' '.join(whens)} END", params


class _Timeline:
    """For each step, BUCKETS moments: in order within a bucket, never after ``now``."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng, self.now = rng, now
        self.steps: dict[str, list[datetime.datetime]] = {}

    def on(self, day: datetime.date) -> datetime.datetime:
        tz = timezone.get_current_timezone()
        moment = datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tz)
        return min(moment, self.now)

    def after(self, moment: datetime.datetime, low: int, high: int) -> datetime.datetime:
        step = datetime.timedelta(days=self.rng.randint(low, high), hours=self.rng.randint(0, 5))
        return min(moment + step, self.now)

    def add(self, **moments: datetime.datetime) -> None:
        for step, moment in moments.items():
            self.steps.setdefault(step, []).append(moment)

    def sql(self, step: str, bucket: str) -> tuple[str, list]:
        return _case(bucket, [connection.ops.adapt_datetimefield_value(m) for m in self.steps[step]])


def _card_timeline(year: int, rng: random.Random, now: datetime.datetime) -> _Timeline:
    line = _Timeline(rng, now)
    for _i in range(BUCKETS):
        started = line.on(datetime.date(year, 1, 2) + datetime.timedelta(days=rng.randint(0, 14)))
        submitted = line.after(started, 1, 5)
        returned = line.after(submitted, 1, 4)
        resubmitted = line.after(returned, 1, 4)
        line.add(
            started=started,
            submitted=submitted,
            returned=returned,
            resubmitted=resubmitted,
            approved=line.after(submitted, 1, 6),
            approved_late=line.after(resubmitted, 1, 3),
        )
    return line


def _check_timeline(quarter: Quarter, rng: random.Random, now: datetime.datetime) -> _Timeline:
    line = _Timeline(rng, now)
    for _i in range(BUCKETS):
        reported = line.on(quarter.last_day + datetime.timedelta(days=rng.randint(-6, 8)))
        line.add(reported=reported, reviewed=line.after(reported, 1, 6))
    return line


@transaction.atomic
def build_cards(*, year: int, today: datetime.date, rng: random.Random) -> dict[str, int]:
    """Build the demo company's goal plan cards for ``year``; nothing when the year has cards already."""
    counts = {"cards": 0, "items": 0, "self_checks": 0, "entries": 0}
    tz = timezone.get_current_timezone()
    now = min(timezone.now(), datetime.datetime.combine(today, datetime.time(18, 0), tz))
    if today < datetime.date(year, 1, 1) or Card.objects.filter(kind=KIND, year=year).exists():
        return counts
    member1 = User.objects.filter(username="member1").values_list("member__pk", flat=True).first() or 0
    salts = [rng.randrange(1000) for _i in range(5)]
    builder = _Builder(year=year, salts=salts)
    with connection.cursor() as cursor:
        builder.cursor = cursor
        counts["cards"] = builder.cards(member1=member1, line=_card_timeline(year, rng, now))
        counts["items"] = builder.items()
        analyze(Card, CardItem)  # the checks and the history below join them
        past = [n for n in range(1, 5) if Quarter(year, n).last_day < today]
        for n in past:
            bands = LATEST_CHECK_BANDS if n == past[-1] else EARLIER_CHECK_BANDS
            line = _check_timeline(Quarter(year, n), rng, now)
            counts["self_checks"] += builder.checks(number=n, bands=bands, line=line)
        analyze(SelfCheck)  # the entries join it
        counts["entries"] = builder.entries()
        analyze(SelfCheckEntry)
        builder.card_history()
        builder.check_history()
        builder.task_history()
    return counts


class _Builder:
    def __init__(self, *, year: int, salts: list[int]):
        self.year, self.salts, self.cursor = year, salts, None
        self.card, self.item, self.check, self.entry, self.log, self.member = _tables(
            Card, CardItem, SelfCheck, SelfCheckEntry, CardLog, Member
        )
        self.secretaries = f"""(SELECT branch_id, MIN(user_id) AS user_id FROM {self.member}
            WHERE committee_role = '{Member.CommitteeRole.SECRETARY}' AND is_active AND user_id IS NOT NULL
            GROUP BY branch_id)"""  # noqa: S608
        # Hashes of a member (for their card) and of a card (for its checks), each 0..99 or a bucket.
        self.state_hash = f"((m.id * 37 + {salts[0]}) %% 100)"
        self.late_hash = f"((c.member_id * 53 + {salts[1]}) %% 100)"
        self.card_bucket = f"(c.member_id * 29 + {salts[2]})"
        self.card_line: _Timeline | None = None

    def run(self, sql: str, params: list) -> int:
        self.cursor.execute(sql, [*params])
        return self.cursor.rowcount

    @property
    def this_year(self) -> tuple[str, list]:
        return "c.kind = %s AND c.year = %s", [KIND, self.year]

    def cards(self, *, member1: int, line: _Timeline) -> int:
        self.card_line = line
        h = self.state_hash
        bound = {state: upper for upper, state in CARD_BANDS}
        late = f"((m.id * 53 + {self.salts[1]}) %% 100) < {RETURNED_ON_THE_WAY}"
        bucket = f"(m.id * 29 + {self.salts[2]})"
        t = {step: line.sql(step, bucket) for step in line.steps}
        status, status_params = _band(h, CARD_BANDS, {s: s for s in CS.values})
        version, version_params = _band(h, CARD_BANDS, {CS.DRAFT: 1, CS.SUBMITTED: 2, CS.RETURNED: 3, CS.APPROVED: 3})
        sql = f"""INSERT INTO {self.card} (kind, member_id, year, branch_id, group_id, status, role_aimed, version,
                                            submitted_at, approved_at, created_at, updated_at)
            SELECT %s, m.id, %s, m.branch_id, m.group_id, {status}, '',
                   CASE WHEN {h} >= {bound[CS.RETURNED]} AND {late} THEN 5 ELSE {version} END,
                   CASE WHEN {h} < {bound[CS.DRAFT]} THEN NULL ELSE {t["submitted"][0]} END,
                   CASE WHEN {h} < {bound[CS.RETURNED]} THEN NULL
                        WHEN {late} THEN {t["approved_late"][0]} ELSE {t["approved"][0]} END,
                   {t["started"][0]},
                   CASE WHEN {h} < {bound[CS.DRAFT]} THEN {t["started"][0]}
                        WHEN {h} < {bound[CS.SUBMITTED]} THEN {t["submitted"][0]}
                        WHEN {h} < {bound[CS.RETURNED]} THEN {t["returned"][0]}
                        WHEN {late} THEN {t["approved_late"][0]} ELSE {t["approved"][0]} END
            FROM {self.member} m JOIN {self.secretaries} s ON s.branch_id = m.branch_id
            WHERE m.is_active AND m.user_id IS NOT NULL AND m.id <> %s AND {h} >= {CARD_BANDS[0][0]}"""  # noqa: S608
        params = [
            KIND,
            self.year,
            *status_params,
            *version_params,
            *t["submitted"][1],
            *t["approved_late"][1],
            *t["approved"][1],
            *t["started"][1],
            *t["started"][1],
            *t["submitted"][1],
            *t["returned"][1],
            *t["approved_late"][1],
            *t["approved"][1],
            member1,
        ]
        return self.run(sql, params)

    def items(self) -> int:
        """The member's items (a draft only half written) and the branch's X tasks."""
        where, where_params = self.this_year
        total = 0
        for section, position, every in SLOTS:
            text, text_params = _case(f"c.id + {position}", TEXTS[section])
            condition = "" if every == 1 else f" AND c.id %% {every} = 0"
            extra = []
            if (section, position) not in DRAFT_SLOTS:
                condition += " AND c.status <> %s"
                extra.append(CS.DRAFT)
            total += self.run(
                f"""INSERT INTO {self.item} (card_id, section, text, position, created_at)
                    SELECT c.id, %s, {text}, %s, c.created_at FROM {self.card} c
                    WHERE {where}{condition}""",  # noqa: S608
                [section, *text_params, position, *where_params, *extra],
            )
        # X tasks from the secretary: one for four cards in five, a second for one in five.
        for position, condition in ((0, "c.id %% 5 <> 0"), (1, "c.id %% 5 = 1")):
            text, text_params = _case(f"c.id + {position}", TEXTS["tasks"])
            total += self.run(
                f"""INSERT INTO {self.item} (card_id, section, text, position, assigned_by_id, created_at)
                    SELECT c.id, 'tasks', {text}, %s, s.user_id, COALESCE(c.submitted_at, c.created_at)
                    FROM {self.card} c JOIN {self.secretaries} s ON s.branch_id = c.branch_id
                    WHERE {where} AND {condition}""",  # noqa: S608
                [*text_params, position, *where_params],
            )
        return total

    def checks(self, *, number: int, bands: list, line: _Timeline) -> int:
        h = f"((c.id * 41 + {self.salts[3] + 17 * number}) %% 100)"
        bucket = f"(c.id * 31 + {self.salts[4] + 7 * number})"
        reported, reported_params = line.sql("reported", bucket)
        reviewed, reviewed_params = line.sql("reviewed", bucket)
        status, status_params = _band(h, bands, {s: s for s in KS.values})
        version, version_params = _band(h, bands, {KS.DRAFT: 1, KS.REPORTED: 2, KS.RETURNED: 3, KS.ACKNOWLEDGED: 3})
        status_of = f"({status})"
        where, where_params = self.this_year
        return self.run(
            f"""INSERT INTO {self.check} (card_id, checkpoint, status, version, reported_at, reviewed_at,
                                           created_at, updated_at)
                SELECT c.id, %s, {status}, {version},
                       CASE WHEN {status_of} = %s THEN NULL ELSE {reported} END,
                       CASE WHEN {status_of} IN (%s, %s) THEN {reviewed} ELSE NULL END,
                       {reported},
                       CASE WHEN {status_of} IN (%s, %s) THEN {reviewed} ELSE {reported} END
                FROM {self.card} c
                WHERE {where} AND c.status = %s AND {h} >= {bands[0][0]}""",  # noqa: S608
            [
                f"q{number}",
                *status_params,
                *version_params,
                *status_params,
                KS.DRAFT,
                *reported_params,
                *status_params,
                KS.RETURNED,
                KS.ACKNOWLEDGED,
                *reviewed_params,
                *reported_params,
                *status_params,
                KS.RETURNED,
                KS.ACKNOWLEDGED,
                *reviewed_params,
                *reported_params,
                *where_params,
                CS.APPROVED,
            ],
        )

    def entries(self) -> int:
        """One entry per item of every check: mostly done, some in progress, a few not done
        with a reason; a draft is partly filled in."""
        pick = "((i.id * 7 + k.id * 3) %% 10)"
        blank = f"k.status = '{KS.DRAFT}' AND {pick} < 3"
        done, done_params = _case("i.id", NOTES["done"])
        going, going_params = _case("i.id", NOTES["in_progress"])
        missed, missed_params = _case("i.id", NOTES["not_done"])
        where, where_params = self.this_year
        return self.run(
            f"""INSERT INTO {self.entry} (self_check_id, item_id, result, note)
                SELECT k.id, i.id,
                       CASE WHEN {blank} THEN '' WHEN {pick} < 6 THEN 'done' WHEN {pick} < 9 THEN 'in_progress'
                            ELSE 'not_done' END,
                       CASE WHEN {blank} THEN '' WHEN {pick} < 6 THEN {done} WHEN {pick} < 9 THEN {going}
                            ELSE {missed} END
                FROM {self.check} k JOIN {self.card} c ON c.id = k.card_id JOIN {self.item} i ON i.card_id = c.id
                WHERE {where}""",  # noqa: S608
            [*done_params, *going_params, *missed_params, *where_params],
        )

    def _log(
        self,
        *,
        action: str,
        actor: str,
        moves: str,
        at: str,
        at_params: list,
        where: str,
        params: list,
        comment: str = "",
        check: bool = False,
    ) -> None:
        """One history row per matching card (or check): ``moves`` is the SQL of from and to."""
        this_year, year_params = self.this_year
        source = f"{self.check} k JOIN {self.card} c ON c.id = k.card_id" if check else f"{self.card} c"
        joins = {
            "member": f"JOIN {self.member} a ON a.id = c.member_id",
            "branch": f"JOIN {self.secretaries} a ON a.branch_id = c.branch_id",
        }[actor]
        self.run(
            f"""INSERT INTO {self.log} (card_id, self_check_id, actor_id, action, from_status, to_status, comment,
                                         created_at)
                SELECT c.id, {"k.id" if check else "NULL"}, a.user_id, %s, {moves}, %s, {at}
                FROM {source} {joins}
                WHERE {this_year} AND {where}""",  # noqa: S608
            [action, comment, *at_params, *year_params, *params],
        )

    def card_history(self) -> None:
        late = f"c.version = 5 AND {self.late_hash} < {RETURNED_ON_THE_WAY}"
        draft, submitted, returned, approved = (f"'{s}'" for s in (CS.DRAFT, CS.SUBMITTED, CS.RETURNED, CS.APPROVED))
        self._log(
            action="start",
            actor="member",
            moves=f"'', {draft}",
            at="c.created_at",
            at_params=[],
            where="1 = 1",
            params=[],
        )
        self._log(
            action="submit",
            actor="member",
            moves=f"{draft}, {submitted}",
            at="c.submitted_at",
            at_params=[],
            where=f"c.status <> {draft}",
            params=[],
        )
        # A return is the last move of a returned card; on an approved card returned on the way it sits
        # between the first submission and the resubmission.
        returned_at, returned_params = self.card_line.sql("returned", self.card_bucket)
        resubmitted_at, resubmitted_params = self.card_line.sql("resubmitted", self.card_bucket)
        self._log(
            action="return",
            actor="branch",
            moves=f"{submitted}, {returned}",
            at=f"CASE WHEN c.status = {returned} THEN c.updated_at ELSE {returned_at} END",
            at_params=returned_params,
            where=f"(c.status = {returned} OR (c.status = {approved} AND {late}))",
            params=[],
            comment=RETURN_COMMENT,
        )
        self._log(
            action="resubmit",
            actor="member",
            moves=f"{returned}, {submitted}",
            at=resubmitted_at,
            at_params=resubmitted_params,
            where=f"c.status = {approved} AND {late}",
            params=[],
        )
        self._log(
            action="approve",
            actor="branch",
            moves=f"{submitted}, {approved}",
            at="c.approved_at",
            at_params=[],
            where=f"c.status = {approved}",
            params=[],
            comment="同意。请按季度对照检查。",
        )

    def check_history(self) -> None:
        draft, reported, returned, acknowledged = (
            f"'{s}'" for s in (KS.DRAFT, KS.REPORTED, KS.RETURNED, KS.ACKNOWLEDGED)
        )
        self._log(
            action="report",
            actor="member",
            moves=f"{draft}, {reported}",
            at="k.reported_at",
            at_params=[],
            where=f"k.status <> {draft}",
            params=[],
            check=True,
        )
        self._log(
            action="return_check",
            actor="branch",
            moves=f"{reported}, {returned}",
            at="k.reviewed_at",
            at_params=[],
            where=f"k.status = {returned}",
            params=[],
            comment=CHECK_RETURN_COMMENT,
            check=True,
        )
        self._log(
            action="acknowledge",
            actor="branch",
            moves=f"{reported}, {acknowledged}",
            at="k.reviewed_at",
            at_params=[],
            where=f"k.status = {acknowledged}",
            params=[],
            check=True,
        )

    def task_history(self) -> None:
        where, params = self.this_year
        self.run(
            f"""INSERT INTO {self.log} (card_id, actor_id, action, from_status, to_status, comment, created_at)
                SELECT c.id, i.assigned_by_id, 'assign_task', c.status, c.status, i.text, i.created_at
                FROM {self.item} i JOIN {self.card} c ON c.id = i.card_id
                WHERE {where} AND i.section = 'tasks'""",  # noqa: S608
            params,
        )


def reset_cards() -> None:
    """Remove every card and its history, before the roster it points at.

    Plain DELETEs: the ORM's delete() would load each of the demo's million
    self-check entries to send its signals and write a history row for it.
    """
    models = [SelfCheckEntry, CardLog, SelfCheck, CardItem, Card]
    tables = [m._meta.db_table for m in models] + [m.history.model._meta.db_table for m in models if m is not CardLog]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's own table
