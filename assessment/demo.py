"""Demo data for Platform 3: this year's assessment period, open, with the default
rubric, and ratings from every rater group spread so that every flag colour occurs.

member1's own ratings (self and of peers), masses1's rating of member1 and the
organisation's rating of member1 are left for the demo walk-through to enter.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction

from members.models import MassesRater, Member
from partybuild.lib.sql import insert_rows

from .models import Period, RaterGroup, Rating
from .services.periods import rubric_default
from .services.results import results_compute

MAX_PEERS = 8
RATING_COLUMNS = (
    "period_id",
    "ratee_id",
    "rater_group",
    "rater_member_id",
    "rater_masses_id",
    "scores",
    "total",
    "source",
    "version",
    "created_at",
    "updated_at",
)
# (share of members, lowest target, highest target): red, yellow, blue, grey all occur.
BANDS = [(0.25, 90, 98), (0.35, 80, 89.5), (0.25, 70, 79.5), (0.15, 55, 69.5)]


def _scores_by_total(items: list[tuple[str, Decimal]]) -> dict[Decimal, dict[str, str]]:
    """For every total 0, 0.5, … 100: item scores in half steps within the maxima that add up
    to it, spread in proportion to the maxima (built once; each rating picks one)."""
    table = {}
    full = sum(m for _c, m in items)
    for halves in range(int(full * 2) + 1):
        total = Decimal(halves) / 2
        scores = {}
        for code, maximum in items:
            share = (maximum * total / full * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
            scores[code] = min(share, maximum)
        remaining = total - sum(scores.values())
        for code, maximum in items:
            if remaining <= 0:
                break
            give = min(maximum - scores[code], remaining)
            scores[code] += give
            remaining -= give
        table[total] = {code: str(score.quantize(Decimal("0.1"))) for code, score in scores.items()}
    return table


def _near(target: float, rng: random.Random, spread: float) -> Decimal:
    value = min(100.0, max(0.0, target + rng.uniform(-spread, spread)))
    return Decimal(round(value * 2)) / 2


@transaction.atomic
def build(*, seed: int = 2026, today: datetime.date | None = None) -> dict[str, int]:
    rng = random.Random(seed * 17 + 3)
    today = today or datetime.date.today()
    rubric = rubric_default()
    period = Period.objects.create(
        code=str(today.year),
        name=f"{today.year}年度党员量化考核",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        state=Period.State.OPEN,
        rubric=rubric,
    )
    items = list(rubric.items.order_by("position").values_list("code", "max_score"))
    table = _scores_by_total(items)

    members = list(Member.objects.filter(is_active=True).order_by("employee_no").values("pk", "branch_id", "group_id"))
    member1 = Member.objects.filter(user__username="member1").values_list("pk", flat=True).first()
    masses1 = MassesRater.objects.filter(user__username="masses1").values_list("pk", flat=True).first()
    target: dict[int, float] = {}
    for m in members:
        roll, floor = rng.random(), 0.0
        for share, low, high in BANDS:
            floor += share
            if roll < floor:
                target[m["pk"]] = rng.uniform(low, high)
                break
        else:
            target[m["pk"]] = rng.uniform(BANDS[-1][1], BANDS[-1][2])
    if member1 is not None:
        target[member1] = 86.0

    circles: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for m in members:
        circles[(m["branch_id"], m["group_id"])].append(m["pk"])
    links: dict[int, list[int]] = defaultdict(list)
    for rater_id, ratee_id in MassesRater.ratees.through.objects.values_list("massesrater_id", "member_id"):
        links[ratee_id].append(rater_id)

    # Rows of RATING_COLUMNS, written with insert_rows (COPY on PostgreSQL): at 100,000
    # members there are 1.3 million of them, too many to build as model instances.
    now = connection.ops.adapt_datetimefield_value(datetime.datetime.now(tz=datetime.UTC))
    scores_json = {total: json.dumps(scores) for total, scores in table.items()}
    ratings: list[tuple] = []

    def add(ratee: int, group: str, spread: float, *, member: int | None = None, masses: int | None = None) -> None:
        total = _near(target[ratee], rng, spread)
        ratings.append(
            (period.pk, ratee, group, member, masses, scores_json[total], total, Rating.Source.WEB, 1, now, now)
        )

    for m in members:
        pk = m["pk"]
        if pk != member1:
            add(pk, RaterGroup.SELF, 3, member=pk)
            add(pk, RaterGroup.ORG, 2)
        circle = [p for p in circles[(m["branch_id"], m["group_id"])] if p != pk and p != member1]
        for peer in rng.sample(circle, min(MAX_PEERS, len(circle))):
            add(pk, RaterGroup.PEER, 5, member=peer)
        for rater in links.get(pk, []):
            if pk == member1 and rater == masses1:
                continue
            add(pk, RaterGroup.MASSES, 6, masses=rater)
    insert_rows(Rating._meta.db_table, RATING_COLUMNS, ratings)
    summary = results_compute(actor=None, period_id=period.pk)
    return {"ratings": len(ratings), "results": summary.members}


def reset() -> None:
    Period.objects.all().delete()


PLEDGE_TEXTS = {
    "goals": ["全年安全生产无事故，完成本岗位各项生产指标", "牵头完成一项设备技术改造"],
    "measures": ["每月开展一次岗位隐患自查", "带领班组开展技术攻关和岗位练兵"],
    "commitments": ["最难的任务我先上，最险的岗位我先守", "每季度至少提出一条合理化建议"],
}
PLEDGE_TASK = "配合支部完成年度“温暖传递”联系点走访"


@transaction.atomic
def build_pledges(*, year: int, seed: int = 2026, limit: int = 60) -> int:
    """3+X pledge forms for the first members of each of the first branches, in every state.

    member1 gets none, so the walk-through can fill one."""
    from .models.cards import Card, CardItem, CardKind

    rng = random.Random(seed * 7 + 5)
    members = list(
        Member.objects.filter(is_active=True)
        .exclude(user__username="member1")
        .order_by("branch__sort_order", "employee_no")
        .values_list("pk", "branch_id", "group_id")[:limit]
    )
    states = [
        Card.Status.APPROVED,
        Card.Status.APPROVED,
        Card.Status.SUBMITTED,
        Card.Status.DRAFT,
        Card.Status.RETURNED,
    ]
    now = datetime.datetime.now(tz=datetime.UTC)
    cards = [
        Card(
            kind=CardKind.PLEDGE,
            member_id=pk,
            year=year,
            branch_id=branch,
            group_id=group,
            status=states[i % len(states)],
            role_aimed=rng.choice(Card.RoleAimed.values),
            submitted_at=None if states[i % len(states)] == Card.Status.DRAFT else now,
            approved_at=now if states[i % len(states)] == Card.Status.APPROVED else None,
        )
        for i, (pk, branch, group) in enumerate(members)
    ]
    Card.objects.bulk_create(cards, batch_size=2000)
    items = []
    for card in cards:
        for section, texts in PLEDGE_TEXTS.items():
            for position, text in enumerate(texts):
                items.append(CardItem(card=card, section=section, text=text, position=position))
        if card.status == Card.Status.APPROVED:
            items.append(CardItem(card=card, section="tasks", text=PLEDGE_TASK, position=0))
    CardItem.objects.bulk_create(items, batch_size=5000)
    return len(cards)
