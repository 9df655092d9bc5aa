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
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import BigIntegerField, Count, FloatField, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Round

from .. import scoring
from ..models import AreaAverage, Period, Rating, Result
from ..selectors.results import breakdown_withheld

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


def member_area_subtotals(
    groups: dict[str, tuple[int, list[int]]], weights: dict[str, Decimal]
) -> list[Decimal] | None:
    """A member's area subtotals from each rater group's (number of ratings, area sums in
    tenths): ``scoring.area_subtotals`` from sums instead of single ratings. None when no
    weighted group has rated."""
    applied = scoring.effective_weights([g for g, (n, _sums) in groups.items() if n], weights)
    if not applied:
        return None
    width = len(next(iter(groups.values()))[1])
    areas = [Fraction(0)] * width
    for group, weight in applied.items():
        count, sums = groups[group]
        for i, units in enumerate(sums):
            areas[i] += weight * Fraction(units or 0, SCALE * count)
    return [scoring.round_half_up(value) for value in areas]


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
    counted = {
        result.member_id: result.branch_id
        for result in results.only("member_id", "branch_id", "count_peer", "count_masses")
        if not breakdown_withheld(result)
    }

    figures = {"n": Count("pk")}
    figures.update({f"area_{i}": Sum(_area_sum(codes[pk])) for i, (pk, _code, _name) in enumerate(areas)})
    names = [f"area_{i}" for i in range(len(areas))]
    rows = (
        ratings.order_by()
        .values("ratee_id", "rater_group")
        .annotate(**figures)
        .values_list("ratee_id", "rater_group", "n", *names)
    )
    per_member: dict[int, dict[str, tuple[int, list[int]]]] = defaultdict(dict)
    for member_id, group, n, *sums in rows:
        if member_id in counted:
            per_member[member_id][group] = (n, sums)

    weights = period.weights
    branch_sums: dict[int, list[Decimal]] = {}
    branch_members: dict[int, int] = defaultdict(int)
    for member_id, groups in per_member.items():
        subtotals = member_area_subtotals(groups, weights)
        if subtotals is None:
            continue
        branch = counted[member_id]
        totals = branch_sums.setdefault(branch, [Decimal(0)] * len(areas))
        for i, value in enumerate(subtotals):
            totals[i] += value
        branch_members[branch] += 1

    stored = AreaAverage.objects.filter(period=period)
    if branch_id is not None:
        stored = stored.filter(branch_id=branch_id)
    stored.delete()
    new = [
        AreaAverage(
            period=period,
            branch_id=branch,
            area_code=code,
            area_name=name,
            position=position,
            total=totals[position],
            members=branch_members[branch],
            average=scoring.round_half_up(Fraction(totals[position]) / branch_members[branch]),
        )
        for branch, totals in branch_sums.items()
        for position, (_pk, code, name) in enumerate(areas)
    ]
    AreaAverage.objects.bulk_create(new, batch_size=1000)
    return len(new)
