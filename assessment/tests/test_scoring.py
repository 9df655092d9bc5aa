"""The arithmetic, pinned: weights, rescaling, rounding at .005, flag boundaries, ties."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import scoring

WEIGHTS = {"self": D("0.1"), "peer": D("0.3"), "masses": D("0.2"), "org": D("0.4")}


def total(**scores):
    return scoring.weighted_total({g: (Fraction(s) if s is not None else None) for g, s in scores.items()}, WEIGHTS)


def test_weighted_sum_with_the_default_weights():
    # 0.1·90 + 0.3·80 + 0.2·70 + 0.4·60 = 9 + 24 + 14 + 24 = 71
    assert total(self=D(90), peer=D(80), masses=D(70), org=D(60)) == D("71.00")


def test_a_missing_group_is_left_out_and_the_rest_rescaled():
    # Without masses: (0.1·90 + 0.3·80 + 0.4·60) / 0.8 = 57 / 0.8 = 71.25
    assert total(self=D(90), peer=D(80), masses=None, org=D(60)) == D("71.25")
    # Only the organisation rated: its score is the total.
    assert total(self=None, peer=None, masses=None, org=D("87.5")) == D("87.50")


def test_no_ratings_means_no_total():
    assert total(self=None, peer=None, masses=None, org=None) is None


def test_group_mean_is_exact():
    mean = scoring.group_mean(D("250"), 3)
    assert mean == Fraction(250, 3)
    # 0.3·(250/3) + 0.4·90 + 0.1·80 + 0.2·70 = 25 + 36 + 8 + 14 = 83 exactly.
    assert scoring.weighted_total({"self": D(80), "peer": mean, "masses": D(70), "org": D(90)}, WEIGHTS) == D("83.00")


@pytest.mark.parametrize(
    "value, expected",
    [
        (Fraction("89.995"), D("90.00")),
        (Fraction("89.994999"), D("89.99")),
        (Fraction("79.985"), D("79.99")),
        (Fraction("0.005"), D("0.01")),
        (Fraction("70.004"), D("70.00")),
        (D("89.995"), D("90.00")),
        (D("12.345"), D("12.35")),
    ],
)
def test_rounding_is_half_up_at_the_third_decimal(value, expected):
    assert scoring.round_half_up(value) == expected


def test_a_total_landing_exactly_on_half_a_cent_rounds_up():
    # peers 89.99 (mean of 179.98/2 is not possible with half steps, so build it from weights):
    # self 89.95, org 90.0 with only those two: (0.1·89.95 + 0.4·90)/0.5 = (8.995 + 36)/0.5 = 89.99
    assert total(self=D("89.95"), peer=None, masses=None, org=D("90")) == D("89.99")
    # (0.1·90 + 0.4·89.99375)/0.5: org mean of 719.95/8 = 89.99375 → 0.4·89.99375 = 35.9975; +9 = 44.9975; /0.5 = 89.995
    org_mean = scoring.group_mean(D("719.95"), 8)
    exact = scoring.weighted_total({"self": Fraction(90), "org": org_mean}, WEIGHTS)
    assert exact == D("90.00")


@pytest.mark.parametrize(
    "value, flag",
    [
        ("100", "red"),
        ("90", "red"),
        ("90.00", "red"),
        ("89.99", "yellow"),
        ("80", "yellow"),
        ("79.99", "blue"),
        ("70", "blue"),
        ("69.99", "grey"),
        ("0", "grey"),
    ],
)
def test_flag_boundaries(value, flag):
    assert scoring.flag_for(D(value)) == flag


def test_flag_bands_are_ordered_from_the_top():
    floors = [floor for floor, _ in scoring.FLAG_BANDS]
    assert floors == sorted(floors, reverse=True)


def test_ties_share_a_rank_and_the_next_skips():
    ranks = scoring.competition_ranks([("a", D("95")), ("b", D("90")), ("c", D("90")), ("d", D("85"))])
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_ranks_of_all_equal_totals():
    assert set(scoring.competition_ranks([(i, D("80.00")) for i in range(5)]).values()) == {1}


def test_ranks_compare_the_rounded_totals():
    # 89.994 and 89.99 both round to 89.99, so they tie.
    a = scoring.round_half_up(Fraction("89.994"))
    b = scoring.round_half_up(Fraction("89.99"))
    assert scoring.competition_ranks([("a", a), ("b", b)]) == {"a": 1, "b": 1}


@pytest.mark.parametrize("score", ["0", "0.5", "4.5", "5", "5.0"])
def test_item_scores_in_half_steps_up_to_the_maximum(score):
    assert scoring.check_item_score(D(score), D("5")) == D(score).quantize(D("0.1"))


@pytest.mark.parametrize(
    "score, reason",
    [("-0.5", "negative"), ("5.5", "above_maximum"), ("2.3", "not_a_half_step"), ("2.25", "not_a_half_step")],
)
def test_item_scores_outside_the_rules_are_refused(score, reason):
    with pytest.raises(scoring.ScoreError) as exc:
        scoring.check_item_score(D(score), D("5"))
    assert exc.value.reason == reason


def test_nan_is_refused():
    with pytest.raises(scoring.ScoreError):
        scoring.check_item_score(D("NaN"), D("5"))


def test_weights_must_sum_to_one():
    assert scoring.weights_are_valid(WEIGHTS)
    assert not scoring.weights_are_valid({**WEIGHTS, "org": D("0.5")})
    assert not scoring.weights_are_valid({"self": D("1.1"), "peer": D("-0.1")})


def test_area_subtotals_add_up_to_the_total():
    item_areas = {"A1": "A", "A2": "A", "B1": "B"}
    ratings = [
        ("self", {"A1": D("5"), "A2": D("4"), "B1": D("8")}),
        ("peer", {"A1": D("4"), "A2": D("4"), "B1": D("7")}),
        ("peer", {"A1": D("3"), "A2": D("5"), "B1": D("6")}),
        ("org", {"A1": D("5"), "A2": D("5"), "B1": D("9")}),
    ]
    subtotals = scoring.area_subtotals(ratings, item_areas, WEIGHTS)
    # masses missing: weights self 0.125, peer 0.375, org 0.5
    # A: 0.125·9 + 0.375·8 + 0.5·10 = 1.125 + 3 + 5 = 9.125 → 9.13
    # B: 0.125·8 + 0.375·6.5 + 0.5·9 = 1 + 2.4375 + 4.5 = 7.9375 → 7.94
    assert subtotals == {"A": D("9.13"), "B": D("7.94")}
    totals = {"self": Fraction(17), "peer": Fraction(29, 2), "org": Fraction(19)}
    assert scoring.weighted_total(totals, WEIGHTS) == D("17.06")  # 17.0625 → 17.06


GROUPS = ["self", "peer", "masses", "org"]
# Each group's sum in hundredths of a point and its number of ratings (0: no ratings).
_figures = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=0, max_value=2_000)),
    min_size=4,
    max_size=4,
)
_weights = st.fixed_dictionaries({g: st.decimals(min_value=0, max_value=1, places=3) for g in GROUPS})


def _score(figures, weights, scale=100):
    return scoring.PeriodScorer(GROUPS, weights, scale=scale)([value for pair in figures for value in pair])


@given(figures=_figures, weights=_weights)
@settings(max_examples=400, deadline=None)
def test_period_scorer_matches_the_exact_fraction_arithmetic(figures, weights):
    """The integer fast path used for a whole company equals the Fraction reference."""
    total, means = _score(figures, weights)
    exact = {g: scoring.group_mean(D(s).scaleb(-2), n) for g, (s, n) in zip(GROUPS, figures, strict=True) if n}
    assert total == scoring.weighted_total(exact, weights)
    assert means == [scoring.round_half_up(exact[g], D("0.0001")) if g in exact else None for g in GROUPS]
    for mean in means:
        assert mean is None or mean.as_tuple().exponent == -4
    if total is not None:
        assert total.as_tuple().exponent == -2


def test_period_scorer_rounds_half_up_at_the_boundary():
    # 0.4·(89.99375) + 0.1·90 = 44.9975 over a weight of 0.5 is 89.995 exactly: half up to 90.00.
    total, means = _score([(9000, 1), (0, 0), (0, 0), (71995, 8)], WEIGHTS)
    assert total == D("90.00") and means[3] == D("89.9938")
    assert _score([(0, 0)] * 4, WEIGHTS) == (None, [None] * 4)
    assert _score([(8000, 1), (0, 0), (0, 0), (0, 0)], {**WEIGHTS, "self": D("0")}) == (
        None,
        [D("80.0000"), None, None, None],
    )
    # Sums in tenths, as compute_results reads them.
    assert _score([(900, 1), (0, 0), (0, 0), (7199, 8)], WEIGHTS, scale=10)[1][3] == D("89.9875")
