"""公示 and 异议 (issue 17): the publicity window, one written objection a member, rulings
by whoever gives the member's organisation rating, each with a written reason, the
result recomputed, finalising refused while anything is open; and never a rater named."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import scoring
from assessment.models import Objection, Period, RaterGroup, Rating, Result
from assessment.services import AssessmentError
from assessment.services import objections as services
from assessment.services.results import results_publish
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling
from members.models import Member
from members.tests.factories import MemberFactory, UserFactory
from study.models import Talk

pytestmark = pytest.mark.django_db

PEER, MASSES, ORG, SELF = RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG, RaterGroup.SELF


def build(org, *, publish=True) -> Period:
    """Branch A: the member (self 90, peers 80/85/75 and a paper peer ballot of 80,
    masses 70, organisation 95), the groupmate (org 86), the leader (84), the secretary
    (60); branch B: member_b (org 91), its lone secretary (org 88, given by the
    administrator)."""
    period = PeriodFactory()
    rate(period, org.member, SELF, 90)
    for rater, total in ((org.groupmate, 80), (org.leader, 85), (org.secretary, 75)):
        rate(period, org.member, PEER, total, rater_member=rater)
    Rating.objects.create(
        period=period,
        ratee=org.member,
        rater_group=PEER,
        ballot_no="2026-P07",
        source=Rating.Source.PAPER,
        scores=scores_totalling(period, Decimal(80)),
        total=Decimal(80),
    )
    rate(period, org.member, MASSES, 70, rater_masses=org.masses)
    for member, total in (
        (org.member, 95),
        (org.groupmate, 86),
        (org.leader, 84),
        (org.secretary, 60),
        (org.member_b, 91),
        (org.other_secretary, 88),
    ):
        rate(period, member, ORG, total)
    closed(period)
    if publish:
        results_publish(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


@pytest.fixture
def period(org):
    return build(org)


def result_of(period, member) -> Result:
    return Result.objects.get(period=period, member=member)


def file(member, period, reason="组织评分偏低，请复核") -> Objection:
    return services.objection_file(actor=member.user, period_id=period.pk, reason=reason)


def rule(actor, objection, *, upheld=False, ruling="经支委会复核，维持原结果", **changes) -> Objection:
    objection.refresh_from_db()
    return services.objection_rule(
        actor=actor.user if isinstance(actor, Member) else actor,
        objection_id=objection.pk,
        version=objection.version,
        upheld=upheld,
        ruling=ruling,
        **changes,
    )


def set_window_end(period, day) -> None:
    Period.objects.filter(pk=period.pk).update(publicity_ends_on=day)
    period.refresh_from_db()


def expected_total(period, member) -> Decimal:
    """The member's total by scoring.py's arithmetic from the ratings still counted."""
    means = {}
    for group in (SELF, PEER, MASSES, ORG):
        totals = list(
            Rating.objects.filter(period=period, ratee=member, rater_group=group, withdrawn=False).values_list(
                "total", flat=True
            )
        )
        means[group] = scoring.group_mean(sum(totals, Decimal(0)), len(totals)) if totals else None
    return scoring.weighted_total(means, period.weights)


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


# --- the follow-up talk follows the new flag -----------------------------------------


def talk_of(period, member):
    return Talk.objects.filter(subject=f"assessment:{period.code}", member=member).first()


def test_a_talk_is_opened_when_the_ruling_lowers_the_flag(org, period):
    assert talk_of(period, org.member_b) is None  # red: no talk
    objection = file(org.member_b, period)
    rule(org.other_secretary, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, 75))
    talk = talk_of(period, org.member_b)
    assert talk is not None and talk.status == Talk.Status.OPEN and talk.branch == org.branch_b
    assert "75.00" in talk.reason


def test_an_open_talk_is_withdrawn_when_the_flag_rises_above_yellow(org, period):
    assert talk_of(period, org.groupmate) is not None
    objection = file(org.groupmate, period)
    rule(org.secretary, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, 92))
    assert result_of(period, org.groupmate).flag == "red"
    assert talk_of(period, org.groupmate) is None


def test_a_talk_still_needed_gets_the_new_reason(org, period):
    objection = file(org.member, period)
    rule(org.secretary, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, 100))
    talk = talk_of(period, org.member)
    assert talk.status == Talk.Status.OPEN and "87.00" in talk.reason and "85.00" not in talk.reason


def test_a_talk_already_held_stays_as_recorded(org, period):
    talk = talk_of(period, org.groupmate)
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.RECORDED, talked_on=timezone.localdate())
    objection = file(org.groupmate, period)
    rule(org.secretary, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, 92))
    held = talk_of(period, org.groupmate)
    assert held is not None and (held.status, held.reason) == (Talk.Status.RECORDED, talk.reason)


# --- finalising ----------------------------------------------------------------------


def test_finalising_is_refused_while_an_objection_is_open(org, period):
    objection = file(org.member, period)
    set_window_end(period, timezone.localdate() - datetime.timedelta(days=1))
    for early in (False, True):
        with pytest.raises(AssessmentError):
            services.results_finalize(actor=org.admin, period_id=period.pk, early=early)
    assert Period.objects.get(pk=period.pk).state == Period.State.PUBLISHED
    rule(org.secretary, objection)
    services.results_finalize(actor=org.admin, period_id=period.pk)
    assert Period.objects.get(pk=period.pk).is_final


def test_finalising_before_the_window_ends_is_refused_unless_early(org, period):
    set_window_end(period, timezone.localdate())
    with pytest.raises(AssessmentError):
        services.results_finalize(actor=org.admin, period_id=period.pk)
    with pytest.raises(AssessmentError):
        services.results_finalize(actor=org.secretary.user, period_id=period.pk, early=True)
    final = services.results_finalize(actor=org.admin, period_id=period.pk, early=True)
    assert final.is_final and final.finalized_at is not None
    latest = final.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("finalized_early", org.admin)
    with pytest.raises(AssessmentError):
        services.results_finalize(actor=org.admin, period_id=period.pk, early=True)


def test_finalising_after_the_window_is_recorded_as_such(org, period):
    set_window_end(period, timezone.localdate() - datetime.timedelta(days=1))
    services.results_finalize(actor=None, period_id=period.pk, early=True)
    assert Period.objects.get(pk=period.pk).history.latest().history_change_reason == "finalized"


def test_finalising_an_unpublished_period_is_refused(org):
    period = build(org, publish=False)
    with pytest.raises(AssessmentError):
        services.results_finalize(actor=org.admin, period_id=period.pk, early=True)


def test_finalize_due_finalises_only_due_periods_without_open_objections(org, period):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    set_window_end(period, yesterday)
    waiting = PeriodFactory(code="2025", state=Period.State.PUBLISHED, publicity_ends_on=yesterday)
    Objection.objects.create(
        period=waiting, member=org.member, branch=org.branch_a, reason="x", total_before=80, flag_before="yellow"
    )
    running = PeriodFactory(code="2024", state=Period.State.PUBLISHED, publicity_ends_on=today)
    closed_one = PeriodFactory(code="2023", state=Period.State.CLOSED)
    assert services.finalize_due() == [period.code]
    states = dict(Period.objects.values_list("code", "state"))
    assert states == {
        period.code: Period.State.FINAL,
        waiting.code: Period.State.PUBLISHED,
        running.code: Period.State.PUBLISHED,
        closed_one.code: Period.State.CLOSED,
    }
    assert services.finalize_due() == []


def test_finalize_due_on_a_given_day_finalises_what_is_due_that_day(org, period):
    """The beat task may be given the day (a run caught up late, or a test): the window
    is judged against that day, not against the clock."""
    after = period.publicity_ends_on + datetime.timedelta(days=1)
    assert services.finalize_due(today=after) == [period.code]
    assert Period.objects.get(pk=period.pk).is_final


# --- history ---------------------------------------------------------------------------


def test_every_step_is_in_the_history_with_who_and_why(org, period):
    objection = file(org.member, period)
    rule(org.secretary, objection, upheld=True, ruling="更正", org_scores=scores_totalling(period, 100))
    filed, ruled = Objection.history.filter(id=objection.pk).order_by("history_date", "history_id")
    assert (filed.history_type, filed.history_user, filed.history_change_reason) == ("+", org.member.user, "filed")
    assert (ruled.history_type, ruled.history_user, ruled.history_change_reason) == ("~", org.secretary.user, "ruled")
    assert ruled.state == Objection.State.UPHELD and ruled.ruling == "更正"
    corrected = Rating.history.filter(ratee_id=org.member.pk, rater_group=ORG).latest()
    assert (corrected.history_user, corrected.history_change_reason) == (org.secretary.user, "ruled")
    set_window_end(period, timezone.localdate() - datetime.timedelta(days=1))
    services.results_finalize(actor=org.admin, period_id=period.pk)
    steps = [
        (h.history_change_reason, h.history_user)
        for h in Period.history.filter(id=period.pk).order_by("history_date", "history_id")
        if h.history_change_reason
    ]
    # (The steps up to closing were taken by the test's helpers, without a person.)
    assert steps[steps.index(("computed", org.admin)) :] == [
        ("computed", org.admin),
        ("published", org.admin),
        ("ruled", org.secretary.user),
        ("finalized", org.admin),
    ]


# --- nothing of a rater is revealed --------------------------------------------------


def test_a_ruling_reveals_no_rater(org, period, django_capture_on_commit_callbacks):
    keys_before = list(Rating.objects.filter(period=period).values_list("pk", "rater_key"))
    # Sealed at close: no rating of the period carries a rater key any more.
    assert all(key is None for _pk, key in keys_before)
    with django_capture_on_commit_callbacks(execute=True):
        objection = file(org.member, period)
    choices = services.ratings_to_rule_on(objection=objection)
    # What the committee chooses from: group, total and scores, never a key or ballot number.
    assert all({"rater_key", "ballot_no", "entered_by_id"}.isdisjoint(r.__dict__) for r in choices)
    paper = Rating.objects.get(period=period, ballot_no="2026-P07")
    lowest = Rating.objects.get(period=period, ratee=org.member, rater_group=PEER, total=75)
    rows_before = {
        r["pk"]: r for r in Rating.objects.filter(pk__in=[paper.pk, lowest.pk]).values("pk", *WRITTEN_BY_NO_RULING)
    }
    with django_capture_on_commit_callbacks(execute=True):
        rule(
            org.secretary,
            objection,
            upheld=True,
            ruling="两份同级评分无效",
            withdraw=[paper.pk, lowest.pk],
        )
    # The withdrawn ratings changed in nothing but the flag: no key, ballot or author written.
    for row in Rating.objects.filter(pk__in=[paper.pk, lowest.pk]).values("pk", "withdrawn", *WRITTEN_BY_NO_RULING):
        assert row.pop("withdrawn") is True
        assert row == rows_before[row["pk"]]
    assert Rating.objects.get(pk=lowest.pk).rater_key is None
    # An anonymous rating has no history, withdrawn or not.
    assert not Rating.history.filter(period_id=period.pk, rater_group__in=[PEER, MASSES]).exists()
    # The objection and its history name no rater: no such field, and no rater in any text.
    columns = {f.name for f in Objection._meta.get_fields()} | {
        f.name for f in Objection.history.model._meta.get_fields()
    }
    assert not {c for c in columns if "rater" in c or "ballot" in c or "key" in c}
    raters = [org.groupmate, org.leader]  # (the secretary gave a peer rating too, and rules: named as ruler only)
    texts = [str(v) for row in Objection.history.values() for v in row.values() if v is not None]
    texts += [str(v) for row in Objection.objects.values() for v in row.values() if v is not None]
    from reminders.models import Notification

    for n in Notification.objects.all():
        texts += [n.title, n.body, n.url, n.subject]
    for text in texts:
        assert "2026-P07" not in text
        for rater in raters:
            assert rater.name not in text and rater.employee_no not in text


WRITTEN_BY_NO_RULING = ("rater_key", "ballot_no", "entered_by_id", "version", "scores", "total", "source")


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
