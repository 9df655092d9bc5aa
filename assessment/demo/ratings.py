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
from collections.abc import Callable, Iterator
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


# How often (in ratings written) the build tells its ``progress`` how far it is.
PROGRESS_EVERY = 10_000


@transaction.atomic
def build(
    *,
    seed: int = 2026,
    today: datetime.date | None = None,
    progress: Callable[[Period, int, int], None] | None = None,
) -> dict[str, int]:
    """Both periods and their ratings; ``progress(period, written, total)`` is called now
    and then while the ratings stream in."""
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
    roll.rate(last, rng, max_peers=LAST_YEAR_PEERS, keyed=False, progress=progress)
    last_year = publicity_demo.publish_object_finalize(last, today=today, scores_by_total=table)

    period = Period.objects.create(
        code=str(today.year),
        name=f"{today.year}年度党员量化考核",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        state=Period.State.OPEN,
        rubric=rubric,
    )
    ratings = roll.rate(period, rng, max_peers=MAX_PEERS, keyed=True, progress=progress)
    return {"ratings": ratings, **last_year}


class _Roll:
    """The active members, who rates whom, and each member's target total: a tuple
    (pk, branch, group) per member and a tuple of masses raters per ratee (at a million
    members, dicts would be gigabytes)."""

    def __init__(self, members, circles, links, member1, masses1, table):
        self.members, self.circles, self.links = members, circles, links
        self.member1, self.masses1 = member1, masses1
        self.scores_json = {total: json.dumps(scores) for total, scores in table.items()}

    @classmethod
    def load(cls, table) -> _Roll:
        members = list(
            Member.objects.filter(is_active=True).order_by("employee_no").values_list("pk", "branch_id", "group_id")
        )
        circles: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for pk, branch, group in members:
            circles[(branch, group)].append(pk)
        links: dict[int, list[int]] = defaultdict(list)
        # In the order the roster wrote them (by rater), as the rater keys were always paired.
        for rater_id, ratee_id in (
            MassesRater.ratees.through.objects.order_by("pk").values_list("massesrater_id", "member_id").iterator()
        ):
            links[ratee_id].append(rater_id)
        member1 = Member.objects.filter(user__username="member1").values_list("pk", flat=True).first()
        masses1 = MassesRater.objects.filter(user__username="masses1").values_list("pk", flat=True).first()
        return cls(members, circles, {k: tuple(v) for k, v in links.items()}, member1, masses1, table)

    def targets(self, rng: random.Random) -> dict[int, float]:
        target: dict[int, float] = {}
        for pk, _branch, _group in self.members:
            roll, floor = rng.random(), 0.0
            for share, low, high in BANDS:
                floor += share
                if roll < floor:
                    target[pk] = rng.uniform(low, high)
                    break
            else:
                target[pk] = rng.uniform(BANDS[-1][1], BANDS[-1][2])
        if self.member1 is not None:
            target[self.member1] = 86.0
        return target

    def _circle(self, pk: int, branch: int, group: int | None, skip: int | None) -> list[int]:
        return [p for p in self.circles[(branch, group)] if p != pk and p != skip]

    def count(self, *, max_peers: int, skip: int | None) -> int:
        """How many ratings ``rate`` writes (for its progress), without drawing any."""
        total = 0
        for pk, branch, group in self.members:
            total += 2 if pk != skip else 0
            total += min(max_peers, len(self._circle(pk, branch, group, skip)))
            raters = self.links.get(pk, ())
            total += len(raters) - (1 if pk == skip and self.masses1 in raters else 0)
        return total

    def rate(
        self,
        period: Period,
        rng: random.Random,
        *,
        max_peers: int,
        keyed: bool,
        progress: Callable[[Period, int, int], None] | None = None,
    ) -> int:
        """Write the period's ratings with insert_rows (COPY on PostgreSQL) as they are
        drawn: at a million members there are over ten million, too many to hold. In an
        open period (``keyed``) member1 has given none and masses1 has not rated member1."""
        target = self.targets(rng)
        make_key = keyer(period) if keyed else None
        skip = self.member1 if keyed else None
        scores_json, web = self.scores_json, Rating.Source.WEB

        def ratings() -> Iterator[tuple]:
            # Each rater's key is worked out once: a rater rates only within their branch,
            # so the keys are kept for one branch at a time.
            keys: dict[tuple[str, int], str | None] = {}
            branch_of_keys = None

            def key(group: str, rater: int) -> str | None:
                if make_key is None:
                    return None
                if (group, rater) not in keys:
                    keys[(group, rater)] = make_key(group, rater)
                return keys[(group, rater)]

            def rating(ratee: int, group: str, spread: float, rater_key: str | None = None) -> tuple:
                total = _near(target[ratee], rng, spread)
                return (period.pk, ratee, group, rater_key, scores_json[total], total, web, 1)

            for pk, branch, group in self.members:
                if branch != branch_of_keys:
                    keys.clear()
                    branch_of_keys = branch
                if pk != skip:
                    yield rating(pk, RaterGroup.SELF, 3)
                    yield rating(pk, RaterGroup.ORG, 2)
                circle = self._circle(pk, branch, group, skip)
                for peer in rng.sample(circle, min(max_peers, len(circle))):
                    yield rating(pk, RaterGroup.PEER, 5, key(RaterGroup.PEER, peer))
                for rater in self.links.get(pk, ()):
                    if pk == skip and rater == self.masses1:
                        continue
                    yield rating(pk, RaterGroup.MASSES, 6, key(RaterGroup.MASSES, rater))

        rows = ratings()
        if progress is not None:
            rows = _told(rows, period, self.count(max_peers=max_peers, skip=skip), progress)
        return insert_rows(Rating._meta.db_table, RATING_COLUMNS, rows)


def _told(rows: Iterator[tuple], period: Period, total: int, progress) -> Iterator[tuple]:
    """``rows``, calling ``progress`` every PROGRESS_EVERY rows and at the end."""
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress(period, written, total)
    progress(period, written, total)


def reset() -> None:
    Objection.objects.all().delete()
    Period.objects.all().delete()
