"""公示 and 异议 (issue 17), what follows a ruling: the follow-up talk follows the new flag,
finalising is refused while anything is open, every step is in the history, and a ruling
never names a rater. The world is assessment/tests/objection_world.py."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from assessment.models import Objection, Period, Rating
from assessment.services import AssessmentError
from assessment.services import objections as services
from assessment.tests.factories import PeriodFactory, scores_totalling
from assessment.tests.objection_world import (
    MASSES,
    ORG,
    PEER,
    build,
    file,
    result_of,
    rule,
    set_window_end,
)
from study.models import Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    return build(org)


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
