"""The stored area averages of the trends pages: the arithmetic of a member's area subtotals
(selectors/results.area_rows) averaged over each branch, withdrawn ratings and withheld
members left out, and rebuilt when results are published, an objection is upheld and the
period is finalised."""

import datetime
from decimal import Decimal

import pytest

from assessment import scoring
from assessment.models import AreaAverage, Period, RaterGroup, Rating, Result, Rubric, RubricArea, RubricItem
from assessment.selectors import results as result_selectors
from assessment.services import objections as objection_services
from assessment.services.area_averages import store_area_averages
from assessment.services.results import results_compute, results_publish
from assessment.tests.factories import PeriodFactory, closed, rate

pytestmark = pytest.mark.django_db

SELF, PEER, MASSES, ORG = RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG


def stored(period, branch=None) -> dict[tuple[int, str], tuple[Decimal, int]]:
    rows = AreaAverage.objects.filter(period=period)
    if branch is not None:
        rows = rows.filter(branch=branch)
    return {(a.branch_id, a.area_code): (a.average, a.members) for a in rows}


def by_hand(period) -> dict[tuple[int, str], tuple[Decimal, int]]:
    """Each branch's mean of its members' area_rows, the withheld members left out."""
    sums: dict[tuple[int, str], list] = {}
    for result in Result.objects.filter(period=period):
        if result_selectors.breakdown_withheld(result):
            continue
        for row in result_selectors.area_rows(period=period, member_id=result.member_id):
            entry = sums.setdefault((result.branch_id, row.code), [Decimal(0), 0])
            entry[0] += row.subtotal
            entry[1] += 1
    return {key: (scoring.round_half_up(total / n), n) for key, (total, n) in sums.items()}


def subtotals(period, member) -> dict[str, Decimal]:
    return {row.code: row.subtotal for row in result_selectors.area_rows(period=period, member_id=member.pk)}


def build(org) -> Period:
    """Branch A: the member (self 90, peers 80/85/75 and a withdrawn peer 10, organisation 95),
    the groupmate (self 70, organisation 86), the leader (two peers: withheld, organisation 84);
    branch B: member_b (organisation 91), its secretary (organisation 88). Closed, not published."""
    period = PeriodFactory()
    rate(period, org.member, SELF, 90)
    for rater, total in ((org.groupmate, 80), (org.leader, 85), (org.secretary, 75)):
        rate(period, org.member, PEER, total, rater_member=rater)
    rate(period, org.member, PEER, 10, rater_member=org.committee)
    rate(period, org.member, ORG, 95)
    rate(period, org.groupmate, SELF, 70)
    rate(period, org.groupmate, ORG, 86)
    for rater, total in ((org.member, 70), (org.groupmate, 78)):
        rate(period, org.leader, PEER, total, rater_member=rater)
    rate(period, org.leader, ORG, 84)
    rate(period, org.member_b, ORG, 91)
    rate(period, org.other_secretary, ORG, 88)
    closed(period)
    # Withdrawn as an upheld objection does, after rating has closed (closing reseals the rows).
    Rating.objects.filter(period=period, ratee=org.member, rater_group=PEER, total=10).update(withdrawn=True)
    return period


@pytest.fixture
def period(org):
    period = build(org)
    results_compute(actor=org.admin, period_id=period.pk)
    return period


def test_the_averages_are_the_members_area_subtotals_averaged_per_branch(org, period):
    assert store_area_averages(period) == 2 * 7  # two branches, seven areas
    assert stored(period) == by_hand(period)
    # Branch A counts the member and the groupmate; the leader's breakdown is withheld.
    assert {members for (branch, _code), (_avg, members) in stored(period).items() if branch == org.branch_a.pk} == {2}


def test_the_average_is_rounded_half_up_from_the_members_rounded_subtotals(org, period):
    store_area_averages(period)
    member, groupmate = subtotals(period, org.member), subtotals(period, org.groupmate)
    for code in member:
        average = AreaAverage.objects.get(period=period, branch=org.branch_a, area_code=code)
        assert average.total == member[code] + groupmate[code]
        assert average.average == (average.total / 2).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_the_company_average_is_exact_from_the_branches_sums(org, period):
    from assessment.selectors.trends import area_trends

    store_area_averages(period)
    trends = area_trends(periods=[period])
    for area in trends.areas:
        rows = AreaAverage.objects.filter(period=period, area_code=area.code)
        total = sum((r.total for r in rows), Decimal(0))
        members = sum(r.members for r in rows)
        assert trends.company[period.pk][area.code] == scoring.round_half_up(total / members)


def tiny_rubric() -> Rubric:
    """Two areas whose item codes Django's KT() would misread: an all-digit code (an array
    index to it) and one with a double underscore (a nested key to it)."""
    rubric = Rubric.objects.create(name="小细则")
    a = RubricArea.objects.create(rubric=rubric, code="A", name="甲", position=0)
    b = RubricArea.objects.create(rubric=rubric, code="B", name="乙", position=1)
    RubricItem.objects.create(rubric=rubric, area=a, code="1", name="一", max_score=Decimal(10), position=0)
    RubricItem.objects.create(rubric=rubric, area=a, code="2", name="二", max_score=Decimal(10), position=1)
    RubricItem.objects.create(rubric=rubric, area=b, code="x__y", name="三", max_score=Decimal(10), position=2)
    return rubric


def give(period, member, group, one, two, three) -> Rating:
    scores = {"1": one, "2": two, "x__y": three}
    total = sum((Decimal(v) for v in scores.values()), Decimal(0))
    return Rating.objects.create(period=period, ratee=member, rater_group=group, scores=scores, total=total)


def test_a_hand_worked_example(org):
    """Weights self 0.1, peers 0.3, organisation 0.4 (no masses: scaled by 1/0.8).
    The member: area A = 0.125·14 + 0.375·(16.5+15+19)/3 + 0.5·17.5 = 16.8125 → 16.81,
    area B = 0.125·5 + 0.375·(4+6+3.5)/3 + 0.5·7 = 5.8125 → 5.81 (the withdrawn peer rating
    of zeros left out). The groupmate, organisation only: A 10.50, B 10.00.
    Branch A: A (16.81 + 10.50) / 2 = 13.655 → 13.66, B (5.81 + 10.00) / 2 = 7.905 → 7.91."""
    period = PeriodFactory(
        code="2030", starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 12, 31), rubric=tiny_rubric()
    )
    give(period, org.member, SELF, "8", "6", "5")
    give(period, org.member, PEER, "9", "7.5", "4")
    give(period, org.member, PEER, "7", "8", "6")
    give(period, org.member, PEER, "10", "9", "3.5")
    give(period, org.member, PEER, "0", "0", "0")
    give(period, org.member, ORG, "9.5", "8", "7")
    give(period, org.groupmate, ORG, "5", "5.5", "10")
    closed(period)
    Rating.objects.filter(period=period, rater_group=PEER, total=0).update(withdrawn=True)
    results_compute(actor=org.admin, period_id=period.pk)
    store_area_averages(period)
    assert [(r.code, r.subtotal) for r in result_selectors.area_rows(period=period, member_id=org.member.pk)] == [
        ("A", Decimal("16.81")),
        ("B", Decimal("5.81")),
    ]
    assert stored(period) == {
        (org.branch_a.pk, "A"): (Decimal("13.66"), 2),
        (org.branch_a.pk, "B"): (Decimal("7.91"), 2),
    }
    assert AreaAverage.objects.get(period=period, area_code="A").total == Decimal("27.31")


def test_withdrawn_ratings_are_not_counted(org, period):
    store_area_averages(period)
    before = stored(period)
    # Withdrawing a second peer rating changes the member's peer mean, and so the averages.
    Rating.objects.filter(period=period, ratee=org.member, rater_group=PEER, withdrawn=False, total=75).update(
        withdrawn=True
    )
    results_compute(actor=org.admin, period_id=period.pk)
    store_area_averages(period)
    # The member now has two peer ratings: withheld, so branch A counts the groupmate alone.
    assert stored(period) == by_hand(period)
    assert stored(period) != before
    assert {m for (b, _c), (_a, m) in stored(period).items() if b == org.branch_a.pk} == {1}


def test_members_whose_breakdown_is_withheld_are_left_out(org, period):
    store_area_averages(period)
    leader = Result.objects.get(period=period, member=org.leader)
    assert result_selectors.breakdown_withheld(leader)
    member, groupmate = subtotals(period, org.member), subtotals(period, org.groupmate)
    for code, subtotal in member.items():
        assert AreaAverage.objects.get(period=period, branch=org.branch_a, area_code=code).total == (
            subtotal + groupmate[code]
        )


def test_a_branch_withheld_whole_has_no_rows(org):
    period = PeriodFactory()
    for rater, total in ((org.member, 70), (org.groupmate, 78)):
        rate(period, org.leader, PEER, total, rater_member=rater)
    rate(period, org.member_b, ORG, 91)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    store_area_averages(period)
    assert {branch for branch, _code in stored(period)} == {org.branch_b.pk}


def test_one_branch_is_rebuilt_and_the_others_are_left_alone(org, period):
    store_area_averages(period)
    b_rows = list(AreaAverage.objects.filter(period=period, branch=org.branch_b).values_list("pk", flat=True))
    AreaAverage.objects.filter(period=period, branch=org.branch_a).update(average=0)
    assert store_area_averages(period, branch_id=org.branch_a.pk) == 7
    assert stored(period, org.branch_a) == {k: v for k, v in by_hand(period).items() if k[0] == org.branch_a.pk}
    assert list(AreaAverage.objects.filter(period=period, branch=org.branch_b).values_list("pk", flat=True)) == b_rows


def test_a_period_without_results_has_none(org):
    period = closed(PeriodFactory())
    assert store_area_averages(period) == 0
    assert not AreaAverage.objects.exists()


def test_the_set_based_read_is_a_fixed_number_of_queries(org, period, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        store_area_averages(period)


# --- kept up to date by the signals ---------------------------------------------------


def test_publishing_stores_them(org, django_capture_on_commit_callbacks):
    period = build(org)
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(actor=org.admin, period_id=period.pk)
    assert stored(period) == by_hand(period)


def test_nothing_is_stored_before_the_commit(org):
    period = build(org)
    results_publish(actor=org.admin, period_id=period.pk)  # the test's transaction never commits
    assert not AreaAverage.objects.exists()


def test_an_upheld_objection_rebuilds_the_objectors_branch(org, django_capture_on_commit_callbacks):
    period = build(org)
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(actor=org.admin, period_id=period.pk)
    before = stored(period)
    objection = objection_services.objection_file(actor=org.groupmate.user, period_id=period.pk, reason="组织评分偏低")
    org_scores = {item.code: str(item.max_score) for item in period.rubric.items.all()}
    with django_capture_on_commit_callbacks(execute=True):
        objection_services.objection_rule(
            actor=org.secretary.user,
            objection_id=objection.pk,
            version=objection.version,
            upheld=True,
            ruling="经支委会复核，组织评分更正",
            org_scores=org_scores,
        )
    after = stored(period)
    assert after == by_hand(period)
    assert {k: v for k, v in after.items() if k[0] == org.branch_a.pk} != {
        k: v for k, v in before.items() if k[0] == org.branch_a.pk
    }
    assert {k: v for k, v in after.items() if k[0] == org.branch_b.pk} == {
        k: v for k, v in before.items() if k[0] == org.branch_b.pk
    }


def test_a_rejected_objection_leaves_them_alone(org, django_capture_on_commit_callbacks):
    period = build(org)
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(actor=org.admin, period_id=period.pk)
    rows = list(AreaAverage.objects.order_by("pk").values_list("pk", "average"))
    objection = objection_services.objection_file(actor=org.groupmate.user, period_id=period.pk, reason="组织评分偏低")
    with django_capture_on_commit_callbacks(execute=True):
        objection_services.objection_rule(
            actor=org.secretary.user,
            objection_id=objection.pk,
            version=objection.version,
            upheld=False,
            ruling="经支委会复核，维持原结果",
        )
    assert list(AreaAverage.objects.order_by("pk").values_list("pk", "average")) == rows


def test_finalising_rebuilds_them(org, django_capture_on_commit_callbacks):
    period = build(org)
    results_publish(actor=org.admin, period_id=period.pk)  # its callbacks never run: nothing stored
    assert not AreaAverage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        objection_services.results_finalize(actor=org.admin, period_id=period.pk, early=True)
    period.refresh_from_db()
    assert period.is_final
    assert stored(period) == by_hand(period)


def test_the_nightly_task_works_out_averages_a_published_year_never_had(org, period):
    """A deployment that upgrades: its years published before the averages were kept are charted."""
    from assessment.tasks import finalize_due_periods

    results_compute(actor=None, period_id=closed(period).pk)
    Period.objects.filter(pk=period.pk).update(state=Period.State.FINAL)
    assert not AreaAverage.objects.filter(period=period).exists()
    finalize_due_periods()
    assert AreaAverage.objects.filter(period=period).exists()
    rows = AreaAverage.objects.count()
    finalize_due_periods()
    assert AreaAverage.objects.count() == rows
