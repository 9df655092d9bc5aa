"""Each branch's average area subtotals for a period, stored for the trends pages.

A member's area subtotal is worked out from their ratings' item scores (the arithmetic of
assessment/scoring.area_subtotals, shown by selectors/results.area_rows): per rater group
the mean of its ratings' area sums, weighted by the period's weights scaled over the groups
that rated, rounded half-up to two places. A branch's average is the mean of its counted
members' subtotals, rounded the same way.

Set-based: one GROUP BY over the period's ratings by (ratee, rater group) gives each pair's
number of ratings and its area sums (the item scores read out of the JSON ``scores``), then
plain arithmetic per member. Members whose breakdown is withheld (an anonymous group with
fewer ratings than the threshold) are left out, as their own page leaves out their areas.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import BigIntegerField, Count, FloatField, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Round

from ..models import AreaAverage, Period, Rating, Result
from ..selectors.trends import WITHHELD

# Item scores are whole tenths at most ("8.5"): summed as integers, exact on either database.
SCALE = 10


class ItemScore(KeyTextTransform):
    """One item's score, as text, out of a rating's ``scores``: ``KT("scores__<code>")``,
    except that the code is always an object key (Django reads an all-digit key as an
    array index, and the rubric editor accepts a code such as "12")."""

    def as_postgresql(self, compiler, connection):
        lhs, params, _keys = self.preprocess_lhs(compiler, connection)
        return f"({lhs} ->> %s)", (*params, self.key_name)

    def as_sqlite(self, compiler, connection):
        lhs, params, _keys = self.preprocess_lhs(compiler, connection)
        return f"JSON_EXTRACT({lhs}, %s)", (*params, "$." + json.dumps(self.key_name))


def _units(code: str):
    """The item's score in tenths of a point, 0 when the rating has none."""
    score = Cast(ItemScore(code, "scores"), FloatField())
    return Coalesce(Cast(Round(score * SCALE), BigIntegerField()), Value(0, BigIntegerField()))


def _area_sum(codes: list[str]):
    if not codes:
        return Value(0, BigIntegerField())
    expression = _units(codes[0])
    for code in codes[1:]:
        expression = expression + _units(code)
    return expression


def member_area_cents(groups: dict[str, tuple[int, list[int]]], weights: dict[str, int]) -> list[int] | None:
    """A member's area subtotals in whole cents, rounded half up, from each rater group's
    (number of ratings, area sums in tenths) and the weights in thousandths:
    ``scoring.area_subtotals`` from sums instead of single ratings, on integers (the
    arithmetic of ``scoring.PeriodScorer``). None when no weighted group has rated."""
    present = [(weights[g], n, sums) for g, (n, sums) in groups.items() if n and weights.get(g, 0) > 0]
    if not present:
        return None
    # subtotal = Σ w·(sum / (SCALE·n)) / Σ w = num / den, over one common denominator
    product = math.prod(n for _w, n, _sums in present)
    den = SCALE * sum(w for w, _n, _sums in present) * product
    width = len(present[0][2])
    cents = []
    for i in range(width):
        num = sum(w * (sums[i] or 0) * (product // n) for w, n, sums in present)
        cents.append((200 * num + den) // (2 * den))
    return cents


@transaction.atomic
def store_area_averages(period: Period, branch_id: int | None = None) -> int:
    """Rebuild the period's area averages (one branch's with ``branch_id``); the rows written."""
    areas = list(period.rubric.areas.order_by("position", "code").values_list("pk", "code", "name"))
    codes: dict[int, list[str]] = defaultdict(list)
    for code, area_id in period.rubric.items.order_by("position", "code").values_list("code", "area_id"):
        codes[area_id].append(code)

    results = Result.objects.filter(period=period)
    ratings = Rating.objects.filter(period=period, withdrawn=False)
    if branch_id is not None:
        results = results.filter(branch_id=branch_id)
        ratings = ratings.filter(ratee__in=results.values("member_id"))
    # The branch a member was counted in that period, and whether their breakdown is withheld.
    counted = dict(results.exclude(WITHHELD).values_list("member_id", "branch_id"))

    figures = {"n": Count("pk")}
    figures.update({f"area_{i}": Sum(_area_sum(codes[pk])) for i, (pk, _code, _name) in enumerate(areas)})
    names = [f"area_{i}" for i in range(len(areas))]
    # By member, streamed: one member's groups at a time (a million members' would be gigabytes).
    rows = (
        ratings.order_by("ratee_id")
        .values("ratee_id", "rater_group")
        .annotate(**figures)
        .values_list("ratee_id", "rater_group", "n", *names)
    )

    # The weights in thousandths (they have three decimal places), exact integers.
    weights = {g: int(w.scaleb(3)) for g, w in period.weights.items()}
    branch_cents: dict[int, list[int]] = {}
    branch_members: dict[int, int] = defaultdict(int)

    def add(member_id: int, groups: dict[str, tuple[int, list[int]]]) -> None:
        cents = member_area_cents(groups, weights)
        if cents is None:
            return
        branch = counted[member_id]
        totals = branch_cents.setdefault(branch, [0] * len(areas))
        for i, value in enumerate(cents):
            totals[i] += value
        branch_members[branch] += 1

    current, groups = None, {}
    for member_id, group, n, *sums in rows.iterator(chunk_size=10_000):
        if member_id != current:
            if groups:
                add(current, groups)
            current, groups = member_id, {}
        if member_id in counted:
            groups[group] = (n, sums)
    if groups:
        add(current, groups)

    stored = AreaAverage.objects.filter(period=period)
    if branch_id is not None:
        stored = stored.filter(branch_id=branch_id)
    stored.delete()
    new = []
    for branch, totals in branch_cents.items():
        members = branch_members[branch]
        for position, (_pk, code, name) in enumerate(areas):
            new.append(
                AreaAverage(
                    period=period,
                    branch_id=branch,
                    area_code=code,
                    area_name=name,
                    position=position,
                    total=Decimal(totals[position]).scaleb(-2),
                    members=members,
                    # The mean of the members' cents, rounded half up to a cent.
                    average=Decimal((2 * totals[position] + members) // (2 * members)).scaleb(-2),
                )
            )
    AreaAverage.objects.bulk_create(new, batch_size=1000)
    return len(new)


def store_missing_area_averages() -> list[str]:
    """Work out the averages of every published or final period that has results and none
    stored (periods published before the averages were kept); the codes done. The nightly
    task runs it, so a deployment that upgrades has its earlier years charted by morning."""
    periods = (
        Period.objects.filter(state__in=[Period.State.PUBLISHED, Period.State.FINAL], results__isnull=False)
        .exclude(area_averages__isnull=False)
        .distinct()
        .select_related("rubric")
    )
    done = []
    for period in periods:
        store_area_averages(period)
        done.append(period.code)
    return done
