"""Every move of a card's self-check: start, save, report and review, with each illegal
source state, each wrong role and stale versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.models import Card, CardLog, CheckResult, SelfCheck
from assessment.services import AssessmentError
from assessment.services import cards as services
from assessment.tests.test_cards_factories import (
    THIS_YEAR,
    card_in,
    check_in,
    entries_of,
    last_log,
    others,
    user_of,
)

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


# --- self-checks: start and save -----------------------------------------------------------


def test_member_starts_a_self_check_with_every_item(org):
    card = card_in(org.member, S.APPROVED, tasks=1)
    self_check = services.check_start(actor=org.member.user, card_id=card.pk, checkpoint="q1")
    assert self_check.status == K.DRAFT
    assert self_check.entries.count() == 6
    assert services.check_start(actor=org.member.user, card_id=card.pk, checkpoint="q1") == self_check


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED])
def test_only_an_approved_card_is_self_checked(org, status):
    card = card_in(org.member, status)
    with pytest.raises(AssessmentError):
        services.check_start(actor=org.member.user, card_id=card.pk, checkpoint="q1")
    assert not SelfCheck.objects.exists()


@pytest.mark.parametrize("who", others("member"))
def test_only_the_member_self_checks(org, who):
    card = card_in(org.member, S.APPROVED)
    with pytest.raises(AssessmentError):
        services.check_start(actor=user_of(org, who), card_id=card.pk, checkpoint="q1")
    assert not SelfCheck.objects.exists()


def test_goal_card_is_checked_quarterly_not_at_year_end(org):
    card = card_in(org.member, S.APPROVED)
    with pytest.raises(AssessmentError):
        services.check_start(actor=org.member.user, card_id=card.pk, checkpoint="year_end")


def test_a_quarter_is_not_checked_before_it_begins(org):
    card = card_in(org.member, S.APPROVED)
    with pytest.raises(AssessmentError):
        services.check_start(
            actor=org.member.user, card_id=card.pk, checkpoint="q2", today=datetime.date(THIS_YEAR, 3, 31)
        )
    assert services.check_start(
        actor=org.member.user, card_id=card.pk, checkpoint="q2", today=datetime.date(THIS_YEAR, 4, 1)
    )


def test_member_saves_results_and_notes(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card)
    saved = services.check_save(
        actor=org.member.user,
        check_id=self_check.pk,
        version=self_check.version,
        entries=entries_of(self_check, CheckResult.IN_PROGRESS, "过半"),
    )
    assert saved.version == self_check.version + 1
    assert set(self_check.entries.values_list("result", "note")) == {(CheckResult.IN_PROGRESS, "过半")}


def test_self_check_saved_from_a_stale_page_is_refused(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card)
    services.check_save(
        actor=org.member.user, check_id=self_check.pk, version=self_check.version, entries=entries_of(self_check)
    )
    with pytest.raises(services.ConcurrentEditError):
        services.check_save(
            actor=org.member.user,
            check_id=self_check.pk,
            version=self_check.version,
            entries=entries_of(self_check, CheckResult.NOT_DONE, "覆盖"),
        )
    assert set(self_check.entries.values_list("result", flat=True)) == {CheckResult.DONE}


@pytest.mark.parametrize("who", others("member"))
def test_nobody_else_fills_in_a_self_check(org, who):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card)
    with pytest.raises(AssessmentError):
        services.check_save(
            actor=user_of(org, who), check_id=self_check.pk, version=self_check.version, entries=entries_of(self_check)
        )
    assert set(self_check.entries.values_list("result", flat=True)) == {""}


@pytest.mark.parametrize("status", [K.REPORTED, K.ACKNOWLEDGED])
def test_reported_self_check_cannot_be_changed(org, status):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, status, filled=True)
    with pytest.raises(AssessmentError):
        services.check_save(
            actor=org.member.user,
            check_id=self_check.pk,
            version=self_check.version,
            entries=entries_of(self_check, CheckResult.NOT_DONE, "改"),
        )
    assert set(self_check.entries.values_list("result", flat=True)) == {CheckResult.DONE}


def test_result_must_be_one_the_card_offers(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card)
    with pytest.raises(ValidationError):
        services.check_save(
            actor=org.member.user,
            check_id=self_check.pk,
            version=self_check.version,
            entries=entries_of(self_check, "half_done"),
        )


# --- self-checks: report and review --------------------------------------------------------


def test_member_reports_a_complete_self_check(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, filled=True)
    services.check_report(actor=org.member.user, check_id=self_check.pk, version=self_check.version)
    self_check.refresh_from_db()
    assert self_check.status == K.REPORTED and self_check.reported_at is not None
    log = last_log(card)
    assert (log.action, log.self_check, log.from_status, log.to_status) == ("report", self_check, K.DRAFT, K.REPORTED)
    assert log.from_label == str(K.DRAFT.label)


def test_every_item_needs_a_result_and_not_done_needs_a_reason(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, filled=True)
    first, second = list(self_check.entries.all())[:2]
    first.result = ""
    first.save()
    second.result, second.note = CheckResult.NOT_DONE, ""
    second.save()
    with pytest.raises(ValidationError) as exc:
        services.check_report(actor=org.member.user, check_id=self_check.pk)
    assert set(exc.value.error_dict) == {f"result_{first.item_id}", f"note_{second.item_id}"}
    self_check.refresh_from_db()
    assert self_check.status == K.DRAFT


def test_task_assigned_after_the_check_began_must_be_checked_too(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, filled=True)
    task = services.card_task_add(actor=org.secretary.user, card_id=card.pk, text="新任务")
    with pytest.raises(ValidationError) as exc:
        services.check_report(actor=org.member.user, check_id=self_check.pk)
    assert f"result_{task.pk}" in exc.value.error_dict
    self_check.refresh_from_db()
    services.check_save(
        actor=org.member.user,
        check_id=self_check.pk,
        version=self_check.version,
        entries={task.pk: services.EntryInput(result=CheckResult.IN_PROGRESS, note="")},
    )
    services.check_report(actor=org.member.user, check_id=self_check.pk)


def test_member_reports_again_after_a_return(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.RETURNED, filled=True)
    services.check_report(actor=org.member.user, check_id=self_check.pk)
    self_check.refresh_from_db()
    assert self_check.status == K.REPORTED
    assert last_log(card).action == "re_report"


@pytest.mark.parametrize("status", [K.REPORTED, K.ACKNOWLEDGED])
def test_self_check_cannot_be_reported_twice(org, status):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, status, filled=True)
    with pytest.raises(AssessmentError):
        services.check_report(actor=org.member.user, check_id=self_check.pk)
    self_check.refresh_from_db()
    assert self_check.status == status and not CardLog.objects.exists()


@pytest.mark.parametrize("who", others("member"))
def test_only_the_member_reports(org, who):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, filled=True)
    with pytest.raises(AssessmentError):
        services.check_report(actor=user_of(org, who), check_id=self_check.pk)
    self_check.refresh_from_db()
    assert self_check.status == K.DRAFT


@pytest.mark.parametrize("who", ["secretary", "committee"])
def test_branch_acknowledges_a_reported_self_check(org, who):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.REPORTED, filled=True)
    services.check_acknowledge(actor=user_of(org, who), check_id=self_check.pk, version=self_check.version)
    self_check.refresh_from_db()
    assert self_check.status == K.ACKNOWLEDGED and self_check.reviewed_at is not None
    assert (last_log(card).action, last_log(card).actor) == ("acknowledge", user_of(org, who))


def test_branch_returns_a_self_check_with_a_comment(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.REPORTED, filled=True)
    with pytest.raises(ValidationError):
        services.check_return(actor=org.secretary.user, check_id=self_check.pk, version=self_check.version, comment="")
    services.check_return(
        actor=org.secretary.user, check_id=self_check.pk, version=self_check.version, comment="第二项写具体些"
    )
    self_check.refresh_from_db()
    assert self_check.status == K.RETURNED
    assert (last_log(card).action, last_log(card).comment) == ("return_check", "第二项写具体些")


@pytest.mark.parametrize("action", ["check_acknowledge", "check_return"])
@pytest.mark.parametrize("status", [K.DRAFT, K.RETURNED, K.ACKNOWLEDGED])
def test_branch_reviews_only_a_reported_self_check(org, action, status):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, status, filled=True)
    with pytest.raises(AssessmentError):
        getattr(services, action)(
            actor=org.secretary.user, check_id=self_check.pk, version=self_check.version, comment="x"
        )
    self_check.refresh_from_db()
    assert self_check.status == status and not CardLog.objects.exists()


@pytest.mark.parametrize("action", ["check_acknowledge", "check_return"])
@pytest.mark.parametrize("who", others("secretary", "committee"))
def test_only_the_cards_branch_reviews_a_self_check(org, action, who):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.REPORTED, filled=True)
    with pytest.raises(AssessmentError):
        getattr(services, action)(
            actor=user_of(org, who), check_id=self_check.pk, version=self_check.version, comment="x"
        )
    self_check.refresh_from_db()
    assert self_check.status == K.REPORTED


def test_review_from_a_stale_page_is_refused(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.RETURNED, filled=True)
    read_at = self_check.version
    services.check_report(actor=org.member.user, check_id=self_check.pk)
    with pytest.raises(services.ConcurrentEditError):
        services.check_acknowledge(actor=org.secretary.user, check_id=self_check.pk, version=read_at)


def test_allowed_actions_follow_the_transition_table(org):
    card = card_in(org.member, S.APPROVED)
    self_check = check_in(card, K.REPORTED, filled=True)
    assert services.allowed_actions(actor=org.member.user, card=card, self_check=self_check) == {"start_check"}
    assert services.allowed_actions(actor=org.secretary.user, card=card, self_check=self_check) == {
        "assign_task",
        "withdraw_task",
        "acknowledge",
        "return_check",
    }
    assert services.allowed_actions(actor=org.admin, card=card, self_check=self_check) == set()
