"""The arithmetic of the assessment, exactly as the design states it. No ORM here.

- An item score lies between 0 and the item's maximum, in steps of 0.5.
- A rater group's score for a member is the mean of that group's ratings' totals.
- The member's total is the weighted sum of the group scores; a group with no
  ratings is left out and the remaining weights are scaled up to sum to 1. The
  total is rounded half-up to two decimals, and everything after uses it.
- Ranks: equal totals share a rank and the next rank skips (1, 2, 2, 4).
- Flags: red ≥ 90, yellow 80–<90, blue 70–<80, grey < 70.

Means and rescaled weights are carried as exact fractions, so rounding at .005
happens on the true value and never on a binary or truncated approximation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")

STEP = Decimal("0.5")
CENT = Decimal("0.01")

# Ordered from the top: the first band whose floor the total reaches gives the flag.
FLAG_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("90"), "red"),
    (Decimal("80"), "yellow"),
    (Decimal("70"), "blue"),
    (Decimal("0"), "grey"),
)
# Talks follow for every member at yellow or below.
TALK_FLAGS = frozenset({"yellow", "blue", "grey"})


class ScoreError(ValueError):
    """An item score outside the rules; ``reason`` is one of the keys below."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def round_half_up(value: Fraction | Decimal, places: Decimal = CENT) -> Decimal:
    """The one rounding helper: half away from zero... for our non-negative scores, half up."""
    if isinstance(value, Fraction):
        # Exact: scale, round the rational, then build the Decimal.
        scale = 1 / Fraction(places)
        scaled = value * scale
        whole, remainder = divmod(scaled.numerator, scaled.denominator)
        if 2 * remainder >= scaled.denominator:
            whole += 1
        return (Decimal(whole) * places).quantize(places)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def check_item_score(score: Decimal, maximum: Decimal) -> Decimal:
    """The score if it is allowed for an item with this maximum; ScoreError otherwise."""
    if not isinstance(score, Decimal) or not score.is_finite():
        raise ScoreError("not_a_number")
    if score < 0:
        raise ScoreError("negative")
    if score > maximum:
        raise ScoreError("above_maximum")
    if score % STEP != 0:
        raise ScoreError("not_a_half_step")
    return score.quantize(Decimal("0.1"))


def group_mean(total_sum: Decimal, count: int) -> Fraction:
    """Mean of a group's rating totals, exactly."""
    if count <= 0:
        raise ValueError("a group with no ratings has no mean")
    return Fraction(total_sum) / count


def weighted_total(group_scores: Mapping[str, Fraction | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """Σ w·score over the groups that have a score, weights rescaled to sum to 1;
    rounded half-up to two decimals. None when no group has a score."""
    present = {g: s for g, s in group_scores.items() if s is not None and weights.get(g, 0) > 0}
    weight_sum = sum((Fraction(weights[g]) for g in present), Fraction(0))
    if not present or weight_sum == 0:
        return None
    exact = sum((Fraction(weights[g]) * Fraction(s) for g, s in present.items()), Fraction(0)) / weight_sum
    return round_half_up(exact)


class PeriodScorer:
    """``weighted_total`` and each group's mean rounded to four places, for the many members
    of one period, from each group's sum of rating totals and number of ratings.

    The sums come as whole numbers of 1/``scale`` points (tenths for rating totals), as the
    database can hand them over, and the arithmetic is on integers with the weights' ratios
    worked out once: exactly the ``Fraction`` results (tests/test_scoring.py holds them to
    it) at a tenth of the cost."""

    def __init__(self, groups: Sequence[str], weights: Mapping[str, Decimal], scale: int):
        self.weights = [weights[g].as_integer_ratio() if weights.get(g, 0) > 0 else None for g in groups]
        self.scale = scale

    def __call__(self, figures: Sequence[int | None]) -> tuple[Decimal | None, list[Decimal | None]]:
        """``figures``: each group's sum and count, one pair after the other in the groups'
        order (count 0: no ratings). The total (None when no weighted group has ratings)
        and each group's mean (None without ratings), in the groups' order."""
        means: list[Decimal | None] = [None] * len(self.weights)
        num, den = 0, 1  # Σ w·mean over the weighted groups, as num/den
        w_num, w_den = 0, 1  # Σ w over the same groups
        for i, weight in enumerate(self.weights):
            count = figures[2 * i + 1]
            if not count:
                continue
            p, q = figures[2 * i], self.scale * count  # the mean is p/q
            means[i] = Decimal((20_000 * p + q) // (2 * q)).scaleb(-4)
            if weight is not None:
                a, b = weight
                num, den = num * b * q + a * p * den, den * b * q
                w_num, w_den = w_num * b + a * w_den, w_den * b
        if w_num == 0:
            return None, means
        # total = (num/den) / (w_num/w_den), rounded half up to cents
        top, bottom = num * w_den * 100, den * w_num
        return Decimal((2 * top + bottom) // (2 * bottom)).scaleb(-2), means


def effective_weights(present: Iterable[str], weights: Mapping[str, Decimal]) -> dict[str, Fraction]:
    """The weights actually applied when only ``present`` groups have ratings."""
    chosen = [g for g in present if weights.get(g, 0) > 0]
    weight_sum = sum((Fraction(weights[g]) for g in chosen), Fraction(0))
    return {g: Fraction(weights[g]) / weight_sum for g in chosen} if weight_sum else {}


def flag_for(total: Decimal) -> str:
    for floor, flag in FLAG_BANDS:
        if total >= floor:
            return flag
    return FLAG_BANDS[-1][1]


def competition_ranks(items: Sequence[tuple[K, Decimal]]) -> dict[K, int]:
    """Rank by total, highest first: equal totals share a rank, the next skips (1, 2, 2, 4)."""
    ordered = sorted(items, key=lambda pair: pair[1], reverse=True)
    ranks: dict[K, int] = {}
    previous_total = None
    rank = 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous_total:
            rank = position
            previous_total = total
        ranks[key] = rank
    return ranks


def weights_are_valid(weights: Mapping[str, Decimal]) -> bool:
    return all(w >= 0 for w in weights.values()) and sum(weights.values(), Decimal(0)) == 1


def area_subtotals(
    ratings: Iterable[tuple[str, Mapping[str, Decimal]]],
    item_areas: Mapping[str, str],
    weights: Mapping[str, Decimal],
) -> dict[str, Decimal]:
    """Per area: the weighted (rescaled) mean over groups of each group's mean area score.

    ``ratings`` is (rater group, {item code: score}) per rating of one member. The
    subtotals add up to the unrounded total; each is rounded half-up to two places.
    """
    sums: dict[str, dict[str, Fraction]] = {}
    counts: dict[str, int] = {}
    for group, scores in ratings:
        counts[group] = counts.get(group, 0) + 1
        per_area = sums.setdefault(group, {})
        for code, score in scores.items():
            area = item_areas.get(code)
            if area is not None:
                per_area[area] = per_area.get(area, Fraction(0)) + Fraction(score)
    applied = effective_weights(counts, weights)
    areas = dict.fromkeys(item_areas.values(), Fraction(0))
    for group, weight in applied.items():
        for area, value in sums[group].items():
            areas[area] += weight * value / counts[group]
    return {area: round_half_up(value) for area, value in areas.items()}
