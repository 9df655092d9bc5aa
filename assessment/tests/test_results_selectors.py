"""The results selectors: the anonymity threshold, expected rating counts, area
subtotals computed on demand, publication status and the one-query aggregates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Period, RaterGroup, Result
from assessment.selectors import results as selectors
from assessment.services.results import results_compute
from assessment.tests.factories import PeriodFactory, closed, rate
from members.tests.factories import MassesRaterFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


def result_of(period, member):
    results_compute(actor=None, period_id=closed(period).pk)
    return Result.objects.get(period=period, member=member)


def scores_by_group(result, period, *, expected=None):
    rows = selectors.group_scores(result=result, weights=period.weights, expected=expected)
    return {row.key: row for row in rows}


@pytest.mark.parametrize("group", [RaterGroup.PEER, RaterGroup.MASSES])
@pytest.mark.parametrize("count, withheld", [(1, True), (2, True), (3, False), (4, False)])
def test_anonymous_group_mean_needs_three_ratings(org, period, group, count, withheld):
    for i in range(count):
        if group == RaterGroup.PEER:
            rate(period, org.member, group, 80 + i, rater_member=MemberFactory(branch=org.branch_a, group=org.group_a1))
        else:
            rate(period, org.member, group, 80 + i, rater_masses=MassesRaterFactory(branch=org.branch_a))
    row = scores_by_group(result_of(period, org.member), period)[group]
    assert row.withheld is withheld and row.count == count
    assert row.score == (None if withheld else scoring_mean(80, count))


def scoring_mean(first, count):
    return (Decimal(sum(range(first, first + count))) / count).quantize(Decimal("0.01"))


def test_a_single_masses_rating_is_withheld_for_every_reader(org, period):
    """The selector has no reader it reveals to: one masses rating is that rater's score."""
    rate(period, org.member, RaterGroup.MASSES, 77, rater_masses=org.masses)
    row = scores_by_group(result_of(period, org.member), period)[RaterGroup.MASSES]
    assert row.withheld and row.score is None and row.count == 1


def test_self_and_organisation_are_never_withheld(org, period):
    rate(period, org.member, RaterGroup.SELF, 88, rater_member=org.member)
    rate(period, org.member, RaterGroup.ORG, 91.5)
    rows = scores_by_group(result_of(period, org.member), period)
    assert rows["self"].score == Decimal("88.00") and rows["org"].score == Decimal("91.50")
    assert rows["peer"].score is None and rows["peer"].count == 0


def test_weights_are_shown_as_written(org, period):
    rate(period, org.member, RaterGroup.ORG, 80)
    rows = scores_by_group(result_of(period, org.member), period)
    assert [rows[g].weight for g in selectors.GROUPS] == ["0.1", "0.3", "0.2", "0.4"]


def test_expected_counts_follow_who_rates_whom(org):
    loner = MemberFactory(branch=org.branch_a, group=None)
    MemberFactory(branch=org.branch_a, group=None)
    MemberFactory(branch=org.branch_a, group=org.group_a1, is_active=False)
    extra = MassesRaterFactory(branch=org.branch_a)
    extra.ratees.add(org.member)
    MassesRaterFactory(branch=org.branch_a, is_active=False).ratees.add(org.member)
    expected = selectors.expected_counts(
        [
            (org.member.pk, org.branch_a.pk, org.group_a1.pk),
            (org.committee.pk, org.branch_a.pk, org.group_a2.pk),
            (loner.pk, org.branch_a.pk, None),
        ]
    )
    # Group A1 has secretary, leader, member and groupmate on the roll: three peers each.
    assert expected[org.member.pk] == {"self": 1, "peer": 3, "masses": 2, "org": 1}
    assert expected[org.committee.pk]["peer"] == 1  # committee and member_a2
    assert expected[loner.pk]["peer"] == 1 and expected[loner.pk]["masses"] == 0


def test_expected_counts_of_nobody_is_empty_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.expected_counts([]) == {}


def test_area_subtotals_are_computed_from_the_members_ratings(org, period):
    # self 95: A15 B15 C20 D15 E12 F13 G5; organisation 60: A15 B15 C20 D10, the rest 0.
    rate(period, org.member, RaterGroup.SELF, 95, rater_member=org.member)
    rate(period, org.member, RaterGroup.ORG, 60)
    rows = {row.code: row for row in selectors.area_rows(period=period, member_id=org.member.pk)}
    # Without peers and masses the weights become self 0.2 and organisation 0.8.
    assert {code: row.subtotal for code, row in rows.items()} == {
        "A": Decimal("15.00"),
        "B": Decimal("15.00"),
        "C": Decimal("20.00"),
        "D": Decimal("11.00"),
        "E": Decimal("2.40"),
        "F": Decimal("2.60"),
        "G": Decimal("1.00"),
    }
    assert sum(row.subtotal for row in rows.values()) == result_of(period, org.member).total == Decimal("67.00")
    assert rows["C"].maximum == Decimal("20") and rows["C"].percent == 100 and rows["E"].percent == 20


def test_area_subtotals_read_two_queries_whatever_the_ratings(org, period, django_assert_num_queries):
    for peer in MemberFactory.create_batch(6, branch=org.branch_a, group=org.group_a1):
        rate(period, org.member, RaterGroup.PEER, 70, rater_member=peer)
    with django_assert_num_queries(2):
        rows = selectors.area_rows(period=period, member_id=org.member.pk)
    assert sum(row.subtotal for row in rows) == Decimal("70.00")


def test_a_member_without_ratings_has_no_area_subtotals(org, period):
    assert selectors.area_rows(period=period, member_id=org.member.pk) == []


@pytest.mark.parametrize(
    "state, computed, preview, status",
    [
        (Period.State.OPEN, False, True, selectors.PENDING),
        (Period.State.OPEN, True, True, selectors.PENDING),  # never read while rating is open
        (Period.State.OPEN, True, False, selectors.PENDING),
        (Period.State.CLOSED, True, True, selectors.PREVIEW),
        (Period.State.CLOSED, True, False, selectors.PENDING),
        (Period.State.PUBLISHED, True, False, selectors.PUBLISHED),
        (Period.State.PUBLISHED, True, True, selectors.PUBLISHED),
    ],
)
def test_results_status(state, computed, preview, status):
    period = Period(state=state, computed_at=timezone.now() if computed else None)
    assert selectors.results_status(period=period, preview=preview) == status


def test_company_distribution_is_one_query(org, period, django_assert_num_queries):
    for member, total in ((org.member, 95), (org.groupmate, 85), (org.member_b, 65)):
        rate(period, member, RaterGroup.ORG, total)
    results_compute(actor=None, period_id=closed(period).pk)
    with django_assert_num_queries(1):
        rows = selectors.company_flag_distribution(period=period)
    assert [(r.name, r.counts, r.total) for r in rows] == [
        (org.branch_a.name, {"red": 1, "yellow": 1, "blue": 0, "grey": 0}, 2),
        (org.branch_b.name, {"red": 0, "yellow": 0, "blue": 0, "grey": 1}, 1),
    ]
    assert rows[0].red_percent == 50


def test_flag_board_counts_include_the_unrated(org, period):
    rate(period, org.member, RaterGroup.ORG, 95)
    rate(period, org.leader, RaterGroup.ORG, 72)
    results_compute(actor=None, period_id=closed(period).pk)
    members = selectors.flagboard_members(period=period, branch_id=org.branch_a.pk)
    counts = selectors.flagboard_counts(members)
    assert counts == {"red": 1, "yellow": 0, "blue": 1, "grey": 0, "none": 4}


def test_flag_board_ignores_other_periods_results(org, period):
    rate(period, org.member, RaterGroup.ORG, 95)
    results_compute(actor=None, period_id=closed(period).pk)
    other = PeriodFactory(code="2025", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31))
    members = {m.pk: m.flag for m in selectors.flagboard_members(period=other, branch_id=org.branch_a.pk)}
    assert set(members.values()) == {None} and org.member.pk in members
