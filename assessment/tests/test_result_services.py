from decimal import Decimal

import pytest

from assessment.models import Period, RaterGroup, Result
from assessment.services import AssessmentError
from assessment.services import results as services
from assessment.tests.factories import PeriodFactory, closed, rate
from members.tests.factories import MemberFactory
from study.models import Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


def result_of(period, member):
    return Result.objects.get(period=period, member=member)


def test_total_is_the_weighted_sum_of_group_means(org, period):
    rate(period, org.member, "self", 90, rater_member=org.member)
    rate(period, org.member, "peer", 80, rater_member=org.groupmate)
    rate(period, org.member, "peer", 85, rater_member=org.leader)
    rate(period, org.member, "peer", 75, rater_member=org.secretary)
    rate(period, org.member, "masses", 70, rater_masses=org.masses)
    rate(period, org.member, "org", 95)
    services.results_compute(actor=org.admin, period_id=closed(period).pk)
    r = result_of(period, org.member)
    # 0.1·90 + 0.3·80 + 0.2·70 + 0.4·95 = 9 + 24 + 14 + 38 = 85
    assert r.total == Decimal("85.00") and r.flag == "yellow"
    assert (r.score_peer, r.count_peer, r.count_self) == (Decimal("80.0000"), 3, 1)


def test_missing_group_rescales_the_other_weights(org, period):
    rate(period, org.member, "self", 90, rater_member=org.member)
    rate(period, org.member, "org", 60)
    services.results_compute(actor=org.admin, period_id=closed(period).pk)
    # (0.1·90 + 0.4·60) / 0.5 = 33 / 0.5 = 66
    r = result_of(period, org.member)
    assert r.total == Decimal("66.00") and r.flag == "grey" and r.score_masses is None


def test_ranks_share_on_ties_and_skip(org, period):
    for member, total in ((org.member, 90), (org.groupmate, 85), (org.leader, 85), (org.secretary, 80)):
        rate(period, member, "org", total)
    rate(period, org.member_b, "org", 95)
    services.results_compute(actor=org.admin, period_id=closed(period).pk)
    branch = {r.member: r.rank_branch for r in Result.objects.filter(branch=org.branch_a)}
    assert branch == {org.member: 1, org.groupmate: 2, org.leader: 2, org.secretary: 4}
    company = {r.member: r.rank_company for r in Result.objects.all()}
    assert company == {org.member_b: 1, org.member: 2, org.groupmate: 3, org.leader: 3, org.secretary: 5}


def test_recomputing_gives_the_same_results(org, period):
    rate(period, org.member, "org", 77)
    rate(period, org.groupmate, "org", 91)
    services.results_compute(actor=org.admin, period_id=closed(period).pk)
    first = list(Result.objects.order_by("member_id").values("member_id", "total", "rank_branch", "flag"))
    services.results_compute(actor=org.admin, period_id=closed(period).pk)
    assert list(Result.objects.order_by("member_id").values("member_id", "total", "rank_branch", "flag")) == first


def test_compute_queries_do_not_grow_with_members(org, period, django_assert_max_num_queries):
    for member in MemberFactory.create_batch(40, branch=org.branch_a, group=org.group_a2):
        rate(period, member, RaterGroup.ORG, 80)
    closed(period)
    with django_assert_max_num_queries(12):
        services.results_compute(actor=None, period_id=period.pk)


def test_only_administrators_compute(org, period):
    with pytest.raises(AssessmentError):
        services.results_compute(actor=org.secretary.user, period_id=closed(period).pk)


def test_publish_opens_talks_for_yellow_and_below_once(org, period):
    rate(period, org.member, "org", 95)  # red
    rate(period, org.groupmate, "org", 85)  # yellow
    rate(period, org.leader, "org", 72)  # blue
    rate(period, org.secretary, "org", 50)  # grey
    with pytest.raises(AssessmentError):
        services.results_publish(actor=org.admin, period_id=period.pk)  # still open
    period.state = Period.State.CLOSED
    period.save()
    summary, opened = services.results_publish(actor=org.admin, period_id=period.pk)
    assert summary.flags == {"red": 1, "yellow": 1, "blue": 1, "grey": 1}
    assert opened == 3
    talks = Talk.objects.filter(subject="assessment:2026")
    assert {t.member for t in talks} == {org.groupmate, org.leader, org.secretary}
    assert all(t.source == Talk.Source.ASSESSMENT and t.status == Talk.Status.OPEN for t in talks)
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    # Publishing again is refused (already published) and opens nothing more.
    with pytest.raises(AssessmentError):
        services.results_publish(actor=org.admin, period_id=period.pk)
    assert talks.count() == 3


def test_inactive_members_get_no_result(org, period):
    rate(period, org.member, "org", 80)
    org.member.is_active = False
    org.member.save()
    services.results_compute(actor=None, period_id=closed(period).pk)
    assert not Result.objects.filter(member=org.member).exists()
