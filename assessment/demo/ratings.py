"""Demo data for Platform 3: this year's assessment period, open, with the default
rubric and ratings from every rater group; last year's, published and final, with
results in which every flag colour occurs and three objections ruled during its
publicity window (assessment/demo/publicity.py).

This year's peer and masses ratings carry their raters' keys as the web would give
them (assessment/anonymity.py); last year's are sealed, as closing leaves them.
member1's own ratings (self and of peers), masses1's rating of member1 and the
organisation's rating of member1 this year are left for the demo walk-through to enter.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from members.models import MassesRater, Member
from partybuild.lib.bulk_sql import insert_rows

from ..anonymity import keyer
from ..models import Objection, Period, RaterGroup, Rating
from ..services.periods import rubric_default
from . import publicity as publicity_demo

MAX_PEERS = 8
LAST_YEAR_PEERS = 3
RATING_COLUMNS = ("period_id", "ratee_id", "rater_group", "rater_key", "scores", "total", "source", "version")
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
    items = list(rubric.items.order_by("position").values_list("code", "max_score"))
    table = _scores_by_total(items)
    roll = _Roll.load(table)

    last = Period.objects.create(
        code=str(today.year - 1),
        name=f"{today.year - 1}年度党员量化考核",
        starts_on=datetime.date(today.year - 1, 1, 1),
        ends_on=datetime.date(today.year - 1, 12, 31),
        state=Period.State.CLOSED,
        rubric=rubric,
    )
    roll.rate(last, rng, max_peers=LAST_YEAR_PEERS, keyed=False)
    last_year = publicity_demo.publish_object_finalize(last, today=today, scores_by_total=table)

    period = Period.objects.create(
        code=str(today.year),
        name=f"{today.year}年度党员量化考核",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        state=Period.State.OPEN,
        rubric=rubric,
    )
    ratings = roll.rate(period, rng, max_peers=MAX_PEERS, keyed=True)
    return {"ratings": ratings, **last_year}


class _Roll:
    """The active members, who rates whom, and each member's target total."""

    def __init__(self, members, circles, links, member1, masses1, table):
        self.members, self.circles, self.links = members, circles, links
        self.member1, self.masses1 = member1, masses1
        self.scores_json = {total: json.dumps(scores) for total, scores in table.items()}

    @classmethod
    def load(cls, table) -> _Roll:
        members = list(
            Member.objects.filter(is_active=True).order_by("employee_no").values("pk", "branch_id", "group_id")
        )
        circles: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for m in members:
            circles[(m["branch_id"], m["group_id"])].append(m["pk"])
        links: dict[int, list[int]] = defaultdict(list)
        for rater_id, ratee_id in MassesRater.ratees.through.objects.values_list("massesrater_id", "member_id"):
            links[ratee_id].append(rater_id)
        member1 = Member.objects.filter(user__username="member1").values_list("pk", flat=True).first()
        masses1 = MassesRater.objects.filter(user__username="masses1").values_list("pk", flat=True).first()
        return cls(members, circles, links, member1, masses1, table)

    def targets(self, rng: random.Random) -> dict[int, float]:
        target: dict[int, float] = {}
        for m in self.members:
            roll, floor = rng.random(), 0.0
            for share, low, high in BANDS:
                floor += share
                if roll < floor:
                    target[m["pk"]] = rng.uniform(low, high)
                    break
            else:
                target[m["pk"]] = rng.uniform(BANDS[-1][1], BANDS[-1][2])
        if self.member1 is not None:
            target[self.member1] = 86.0
        return target

    def rate(self, period: Period, rng: random.Random, *, max_peers: int, keyed: bool) -> int:
        """Write the period's ratings with insert_rows (COPY on PostgreSQL): at 100,000
        members there are over a million, too many to build as model instances. In an
        open period (``keyed``) member1 has given none and masses1 has not rated member1."""
        target = self.targets(rng)
        make_key = keyer(period) if keyed else None
        keys: dict[tuple[str, int], str] = {}

        def key(group: str, rater: int) -> str | None:
            if make_key is None:
                return None
            if (group, rater) not in keys:
                keys[(group, rater)] = make_key(group, rater)
            return keys[(group, rater)]

        ratings: list[tuple] = []

        def add(ratee: int, group: str, spread: float, rater_key: str | None = None) -> None:
            total = _near(target[ratee], rng, spread)
            ratings.append((period.pk, ratee, group, rater_key, self.scores_json[total], total, Rating.Source.WEB, 1))

        skip = self.member1 if keyed else None
        for m in self.members:
            pk = m["pk"]
            if pk != skip:
                add(pk, RaterGroup.SELF, 3)
                add(pk, RaterGroup.ORG, 2)
            circle = [p for p in self.circles[(m["branch_id"], m["group_id"])] if p != pk and p != skip]
            for peer in rng.sample(circle, min(max_peers, len(circle))):
                add(pk, RaterGroup.PEER, 5, key(RaterGroup.PEER, peer))
            for rater in self.links.get(pk, []):
                if pk == skip and rater == self.masses1:
                    continue
                add(pk, RaterGroup.MASSES, 6, key(RaterGroup.MASSES, rater))
        insert_rows(Rating._meta.db_table, RATING_COLUMNS, ratings)
        return len(ratings)


def reset() -> None:
    Objection.objects.all().delete()
    Period.objects.all().delete()
