"""公示 and 异议 (issue 17), filing and ruling: the publicity window, one written objection a
member, rulings by whoever gives the member's organisation rating, each with a written reason,
and the result recomputed. The follow-up talk, finalising, the history and what a ruling
never reveals are in test_objection_outcomes.py."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Objection, Period, Rating, Result
from assessment.services import AssessmentError
from assessment.services import objections as services
from assessment.tests.factories import scores_totalling
from assessment.tests.objection_world import (
    MASSES,
    ORG,
    PEER,
    SELF,
    build,
    expected_total,
    file,
    result_of,
    rule,
    set_window_end,
)
from members.models import Member
from members.tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    return build(org)


def test_the_world_is_as_the_tests_assume(org, period):
    # 0.1·90 + 0.3·80 + 0.2·70 + 0.4·95 = 9 + 24 + 14 + 38 = 85
    assert result_of(period, org.member).total == Decimal("85.00") == expected_total(period, org.member)
    ranks = {r.member: r.rank_branch for r in Result.objects.filter(period=period, branch=org.branch_a)}
    assert ranks == {org.groupmate: 1, org.member: 2, org.leader: 3, org.secretary: 4}
    assert period.state == Period.State.PUBLISHED
    assert period.publicity_ends_on > timezone.localdate()


# --- the window -------------------------------------------------------------------


def test_filing_before_publication_is_refused(org):
    period = build(org, publish=False)
    with pytest.raises(AssessmentError) as refused:
        file(org.member, period)
    assert refused.value.message == _("The results of %(period)s are not published.") % {"period": period.name}
    assert not Objection.objects.exists()


def test_filing_during_the_window_records_the_result_objected_to(org, period):
    objection = file(org.member, period, reason="  组织评分偏低  ")
    assert objection.state == Objection.State.OPEN and objection.reason == "组织评分偏低"
    assert (objection.member, objection.branch, objection.period) == (org.member, org.branch_a, period)
    assert (objection.total_before, objection.flag_before) == (Decimal("85.00"), "yellow")
    assert objection.total_after is None and objection.ruled_by is None


def test_filing_on_the_windows_last_day_is_allowed(org, period):
    set_window_end(period, timezone.localdate())
    assert file(org.member, period).is_open


@pytest.mark.parametrize("state", [Period.State.PUBLISHED, Period.State.FINAL])
def test_filing_after_the_window_or_into_a_final_period_is_refused(org, period, state):
    Period.objects.filter(pk=period.pk).update(
        state=state, publicity_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(AssessmentError) as refused:
        file(org.member, period)
    assert refused.value.message == (
        _("The publicity window of %(period)s has ended: objections can no longer be filed.") % {"period": period.name}
    )
    assert not Objection.objects.exists()


def test_filing_into_a_final_period_is_refused_even_within_its_dates(org, period):
    Period.objects.filter(pk=period.pk).update(state=Period.State.FINAL)
    with pytest.raises(AssessmentError):
        file(org.member, period)
    assert not Objection.objects.exists()


# --- one objection a member, with a reason, by the member ---------------------------


def test_a_second_objection_is_refused(org, period):
    file(org.member, period)
    with pytest.raises(AssessmentError) as refused:
        file(org.member, period, reason="再说一次")
    assert refused.value.message == _("You have already filed an objection to this result.")
    assert Objection.objects.get().reason == "组织评分偏低，请复核"


def test_an_objection_filed_a_moment_ago_by_another_request_is_refused_cleanly(org, period):
    """The race: the other request's row is there when this one inserts; the unique
    constraint refuses it (the IntegrityError path) and the transaction goes on."""
    Objection.objects.create(
        period=period, member=org.member, branch=org.branch_a, reason="先到", total_before=85, flag_before="yellow"
    )
    with pytest.raises(AssessmentError) as refused:
        file(org.member, period)
    assert refused.value.message == _("You have already filed an objection to this result.")
    # The savepoint was rolled back, not the test's transaction: the database still answers.
    assert Objection.objects.get().reason == "先到"


@pytest.mark.django_db(transaction=True)
def test_two_filings_at_once_leave_one_objection(org):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    period = build(org)
    barrier, outcomes = threading.Barrier(2), []

    def attempt(reason):
        try:
            barrier.wait()
            file(org.member, period, reason=reason)
            outcomes.append("filed")
        except AssessmentError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(f"理由{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["filed", _("You have already filed an objection to this result.")])
    assert Objection.objects.filter(period=period, member=org.member).count() == 1


@pytest.mark.parametrize("reason", ["", "   \n ", None])
def test_the_reason_is_required(org, period, reason):
    with pytest.raises(ValidationError) as refused:
        file(org.member, period, reason=reason)
    assert refused.value.message_dict == {"reason": [_("Say what you object to and why.")]}
    assert not Objection.objects.exists()


def test_a_reason_too_long_is_refused_on_its_field(org, period):
    with pytest.raises(ValidationError) as refused:
        file(org.member, period, reason="长" * (services.REASON_MAX + 1))
    assert list(refused.value.message_dict) == ["reason"]


def test_one_files_only_about_ones_own_result(org, period):
    # A committee member's objection is about their own result, never a member's.
    mine = file(org.secretary, period)
    assert mine.member == org.secretary and mine.total_before == Decimal("60.00")
    with pytest.raises(AssessmentError):
        services.objection_file(actor=org.admin, period_id=period.pk, reason="替人申诉")
    masses_user = UserFactory(username="masses-login")
    org.masses.user = masses_user
    org.masses.save()
    with pytest.raises(AssessmentError):
        services.objection_file(actor=masses_user, period_id=period.pk, reason="替人申诉")
    # A member with no result in the period has nothing to object to.
    with pytest.raises(AssessmentError):
        file(org.member_a2, period)
    assert list(Objection.objects.values_list("member", flat=True)) == [org.secretary.pk]


# --- who rules ------------------------------------------------------------------------


def test_the_branch_committee_rules_and_nobody_else(org, period):
    objection = file(org.member, period)
    allowed = {
        who: services.may_rule(actor=who.user if isinstance(who, Member) else who, objection=objection)
        for who in (org.secretary, org.committee, org.leader, org.groupmate, org.member, org.other_secretary, org.admin)
    }
    assert allowed == {
        org.secretary: True,
        org.committee: True,
        org.leader: False,
        org.groupmate: False,
        org.member: False,
        org.other_secretary: False,
        org.admin: False,
    }


def test_a_committee_member_never_rules_on_their_own_objection(org, period):
    objection = file(org.secretary, period)
    assert not services.may_rule(actor=org.secretary.user, objection=objection)
    assert services.may_rule(actor=org.committee.user, objection=objection)
    # The committee has another member: the administrator does not step in.
    assert not services.may_rule(actor=org.admin, objection=objection)
    with pytest.raises(AssessmentError):
        rule(org.secretary, objection, ruling="本人裁定")
    assert Objection.objects.get().is_open


def test_the_administrator_rules_where_the_objector_is_alone_on_the_committee(org, period):
    objection = file(org.other_secretary, period)
    assert services.may_rule(actor=org.admin, objection=objection)
    assert not services.may_rule(actor=org.other_secretary.user, objection=objection)
    assert not services.may_rule(actor=org.secretary.user, objection=objection)
    ruled = rule(org.admin, objection, ruling="由公司管理员复核，维持")
    assert ruled.state == Objection.State.REJECTED and ruled.ruled_by == org.admin


def test_another_branchs_committee_is_refused_and_nothing_changes(org, period):
    objection = file(org.member, period)
    with pytest.raises(AssessmentError) as refused:
        rule(org.other_secretary, objection, upheld=True, org_scores=scores_totalling(period, Decimal(100)))
    assert refused.value.message == _("Only the member's branch committee rules on this objection.")
    objection.refresh_from_db()
    assert objection.is_open and objection.version == 1
    assert result_of(period, org.member).total == Decimal("85.00")


def test_a_member_who_left_after_objecting_can_still_be_ruled_on(org, period):
    """Otherwise their open objection would hold the period's finalising up for ever."""
    objection = file(org.member, period)
    Member.objects.filter(pk=org.member.pk).update(is_active=False)
    objection = Objection.objects.get(pk=objection.pk)
    assert services.may_rule(actor=org.secretary.user, objection=objection)
    ruled = rule(org.secretary, objection, ruling="本人已离开本单位，维持原结果")
    assert ruled.state == Objection.State.REJECTED


# --- the ruling's reason and its changes ---------------------------------------------


@pytest.mark.parametrize("ruling", ["", "  "])
def test_a_ruling_needs_its_reason(org, period, ruling):
    objection = file(org.member, period)
    with pytest.raises(ValidationError) as refused:
        rule(org.secretary, objection, ruling=ruling)
    assert list(refused.value.message_dict) == ["ruling"]
    assert Objection.objects.get().is_open


def test_an_upheld_objection_must_change_something(org, period):
    objection = file(org.member, period)
    with pytest.raises(ValidationError):
        rule(org.secretary, objection, upheld=True, ruling="成立")
    with pytest.raises(ValidationError):
        rule(org.secretary, objection, upheld=True, ruling="成立", org_scores={}, withdraw=[])
    assert Objection.objects.get().is_open


def test_a_bad_item_score_is_refused_by_its_code_and_nothing_is_written(org, period):
    objection = file(org.member, period)
    scores = scores_totalling(period, Decimal(100))
    first, second = list(scores)[:2]
    scores[first] = "999"
    del scores[second]
    peer = Rating.objects.filter(period=period, ratee=org.member, rater_group=PEER, total=75).get()
    org_rating = Rating.objects.get(period=period, ratee=org.member, rater_group=ORG)
    before = list(Result.objects.order_by("pk").values())
    with pytest.raises(ValidationError) as refused:
        rule(org.secretary, objection, upheld=True, ruling="成立", org_scores=scores, withdraw=[peer.pk])
    assert set(refused.value.message_dict) == {first, second}
    org_rating.refresh_from_db()
    peer.refresh_from_db()
    assert (org_rating.total, org_rating.version, peer.withdrawn) == (Decimal("95.0"), 1, False)
    assert list(Result.objects.order_by("pk").values()) == before
    assert Objection.objects.get().is_open


def test_correcting_the_organisation_rating_recomputes_the_total_and_the_ranks(org, period):
    objection = file(org.member, period)
    ruled = rule(
        org.secretary,
        objection,
        upheld=True,
        ruling="组织评分有误，更正为100分",
        org_scores=scores_totalling(period, Decimal(100)),
    )
    org_rating = Rating.objects.get(period=period, ratee=org.member, rater_group=ORG)
    assert (org_rating.total, org_rating.version, org_rating.entered_by) == (Decimal("100.0"), 2, org.secretary.user)
    # 9 + 24 + 14 + 0.4·100 = 87
    result = result_of(period, org.member)
    assert result.total == Decimal("87.00") == expected_total(period, org.member)
    assert (ruled.state, ruled.org_corrected, ruled.ratings_withdrawn) == (Objection.State.UPHELD, True, 0)
    assert (ruled.total_before, ruled.total_after, ruled.flag_after) == (Decimal("85.00"), Decimal("87.00"), "yellow")
    assert (ruled.ruled_by, ruled.version) == (org.secretary.user, 2) and ruled.ruled_at is not None
    # The member passes the groupmate (86): the ranks of others move with it.
    ranks = {r.member: (r.rank_branch, r.rank_company) for r in Result.objects.filter(period=period)}
    # Company: member_b 91, other_secretary 88, then the member (87) before the groupmate (86).
    assert ranks[org.member] == (1, 3) and ranks[org.groupmate] == (2, 4)
    assert ranks[org.member_b] == (1, 1) and ranks[org.other_secretary] == (2, 2)


def test_an_organisation_rating_is_given_where_there_was_none(org, period):
    objection = file(org.member_b, period)
    Rating.objects.filter(period=period, ratee=org.member_b, rater_group=ORG).delete()
    ruled = rule(org.other_secretary, objection, upheld=True, ruling="补评", org_scores=scores_totalling(period, 77))
    assert ruled.total_after == Decimal("77.00") and ruled.flag_after == "blue"
    assert Rating.objects.get(period=period, ratee=org.member_b, rater_group=ORG).total == Decimal("77.0")


def test_withdrawing_a_rating_recomputes_without_it(org, period):
    objection = file(org.member, period)
    choices = services.ratings_to_rule_on(objection=objection)
    # Four peer ratings and the member's own and the organisation's; the lone masses rating is left out.
    assert sorted(r.rater_group for r in choices) == [ORG, PEER, PEER, PEER, PEER, SELF]
    lowest = min((r for r in choices if r.rater_group == PEER), key=lambda r: r.total)
    ruled = rule(org.secretary, objection, upheld=True, ruling="一份同级评分无效", withdraw=[lowest.pk])
    assert Rating.objects.get(pk=lowest.pk).withdrawn
    # Peers (80 + 85 + 80) / 3 = 81.67: 9 + 0.3·245/3 + 14 + 38 = 85.5
    result = result_of(period, org.member)
    assert result.total == Decimal("85.50") == expected_total(period, org.member)
    assert result.count_peer == 3
    assert (ruled.ratings_withdrawn, ruled.org_corrected, ruled.total_after) == (1, False, Decimal("85.50"))
    # A withdrawn rating is kept, never counted, and no longer offered.
    assert lowest.pk not in {r.pk for r in services.ratings_to_rule_on(objection=objection)}


def test_withdrawing_from_an_anonymous_group_below_the_minimum_is_refused(org, period):
    objection = file(org.member, period)
    masses = Rating.objects.get(period=period, ratee=org.member, rater_group=MASSES)
    with pytest.raises(AssessmentError):
        rule(org.secretary, objection, upheld=True, ruling="群众评分无效", withdraw=[masses.pk])
    assert not Rating.objects.get(pk=masses.pk).withdrawn
    assert Objection.objects.get().is_open


def test_a_rating_of_someone_else_cannot_be_withdrawn(org, period):
    objection = file(org.member, period)
    other = Rating.objects.get(period=period, ratee=org.groupmate, rater_group=ORG)
    with pytest.raises(AssessmentError):
        rule(org.secretary, objection, upheld=True, ruling="撤销", withdraw=[other.pk])
    assert not Rating.objects.get(pk=other.pk).withdrawn


def test_correcting_and_withdrawing_the_organisation_rating_at_once_is_refused(org, period):
    objection = file(org.member, period)
    org_rating = Rating.objects.get(period=period, ratee=org.member, rater_group=ORG)
    with pytest.raises(ValidationError):
        rule(
            org.secretary,
            objection,
            upheld=True,
            ruling="成立",
            org_scores=scores_totalling(period, 100),
            withdraw=[org_rating.pk],
        )
    assert not Rating.objects.get(pk=org_rating.pk).withdrawn


def test_a_rejection_changes_nothing_but_the_objection(org, period):
    objection = file(org.member, period)
    before = list(Result.objects.order_by("pk").values("pk", "total", "rank_branch", "flag", "computed_at"))
    ruled = rule(org.secretary, objection, ruling="评分依据充分，维持原结果")
    assert (ruled.state, ruled.ruling) == (Objection.State.REJECTED, "评分依据充分，维持原结果")
    assert (ruled.total_after, ruled.flag_after) == (Decimal("85.00"), "yellow")
    assert list(Result.objects.order_by("pk").values("pk", "total", "rank_branch", "flag", "computed_at")) == before


def test_a_ruling_is_given_once_and_on_the_version_seen(org, period):
    objection = file(org.member, period)
    with pytest.raises(AssessmentError):
        services.objection_rule(
            actor=org.secretary.user, objection_id=objection.pk, version=objection.version + 1, upheld=False, ruling="x"
        )
    rule(org.secretary, objection)
    with pytest.raises(AssessmentError) as refused:
        rule(org.committee, objection, ruling="再裁定")
    assert refused.value.message == _("This objection has already been ruled on.")


def test_ruling_needs_a_published_period(org, period):
    objection = file(org.member, period)
    Period.objects.filter(pk=period.pk).update(state=Period.State.FINAL)
    with pytest.raises(AssessmentError):
        rule(org.secretary, objection)


def test_the_committee_of_the_branch_objected_in_rules_after_the_member_moves(org, period):
    """The objection keeps the branch the member objected in: its committee rules."""
    objection = file(org.member, period)
    Member.objects.filter(pk=org.member.pk).update(branch=org.branch_b, group=org.group_b1)
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.branch == org.branch_a
    assert services.may_rule(actor=org.secretary.user, objection=objection)
    assert not services.may_rule(actor=org.other_secretary.user, objection=objection)


def test_a_new_member_without_history_has_no_say(org, period):
    newcomer = MemberFactory(branch=org.branch_a, group=org.group_a1)
    objection = file(org.member, period)
    assert not services.may_rule(actor=newcomer.user, objection=objection)


def test_a_ruling_leaves_the_published_results_of_others_where_they_were_posted(org, period):
    """A member who left or moved after publication keeps their published result, in the
    branch it was posted in: the recomputation of a ruling changes the objector's alone
    (and the ranks that follow from it)."""
    Member.objects.filter(pk=org.leader.pk).update(is_active=False)
    Member.objects.filter(pk=org.secretary.pk).update(branch=org.branch_b, group=org.group_b1)
    before = {r.member_id: r for r in Result.objects.filter(period=period)}
    objection = file(org.member, period)
    rule(org.committee, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, Decimal(100)))
    after = {r.member_id: r for r in Result.objects.filter(period=period)}
    assert set(after) == set(before)
    assert (after[org.leader.pk].total, after[org.leader.pk].rank_branch) == (Decimal("84.00"), 3)
    assert (after[org.secretary.pk].branch_id, after[org.secretary.pk].rank_branch) == (org.branch_a.pk, 4)
    assert after[org.member.pk].total == Decimal("87.00") and after[org.member.pk].rank_branch == 1
