"""Every move of the card engine: happy path, each illegal source state, each wrong role,
stale versions; and what the pledge kind needs from the engine."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.models import PLEDGE, Card, CardItem, CardLog, CheckResult, SelfCheck
from assessment.services import AssessmentError
from assessment.services import cards as services
from assessment.tests.test_cards_factories import PERSONAS, THIS_YEAR, card_in, check_in, user_of

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


def others(*allowed: str) -> list[str]:
    return [p for p in PERSONAS if p not in allowed]


def assert_unchanged(card: Card, *, logs: int | None = None) -> None:
    """An illegal move leaves the card (and its log) as it was."""
    before = (card.status, card.version)
    card.refresh_from_db()
    assert (card.status, card.version) == before
    if logs is not None:
        assert CardLog.objects.filter(card=card).count() == logs


def last_log(card: Card) -> CardLog:
    return CardLog.objects.filter(card=card).last()


def items_input(**sections: list[str]) -> dict[str, list[services.ItemInput]]:
    return {key: [services.ItemInput(id=None, text=t) for t in texts] for key, texts in sections.items()}


# --- start ---------------------------------------------------------------------------


def test_member_starts_their_card_with_branch_and_group_fixed(org):
    card = services.card_start(actor=org.member.user, kind="goal_card", year=THIS_YEAR)
    assert (card.member, card.branch, card.group, card.status, card.year) == (
        org.member,
        org.branch_a,
        org.group_a1,
        S.DRAFT,
        THIS_YEAR,
    )
    assert (last_log(card).action, last_log(card).actor) == ("start", org.member.user)
    assert services.card_start(actor=org.member.user, kind="goal_card", year=THIS_YEAR) == card
    assert Card.objects.count() == 1


@pytest.mark.parametrize("who", ["secretary", "committee"])
def test_branch_opens_a_card_for_its_member(org, who):
    card = services.card_start(actor=user_of(org, who), kind="goal_card", year=THIS_YEAR, member_id=org.member.pk)
    assert card.member == org.member and last_log(card).actor == user_of(org, who)


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary", "masses", "admin"])
def test_nobody_else_opens_a_card_for_a_member(org, who):
    with pytest.raises(AssessmentError):
        services.card_start(actor=user_of(org, who), kind="goal_card", year=THIS_YEAR, member_id=org.member.pk)
    assert not Card.objects.exists()


@pytest.mark.parametrize("who", ["masses", "admin"])
def test_who_is_not_a_member_has_no_card(org, who):
    with pytest.raises(AssessmentError):
        services.card_start(actor=user_of(org, who), kind="goal_card", year=THIS_YEAR)


@pytest.mark.parametrize("year", [THIS_YEAR - 2, THIS_YEAR + 2])
def test_card_only_for_last_this_or_next_year(org, year):
    with pytest.raises(AssessmentError):
        services.card_start(actor=org.member.user, kind="goal_card", year=year)


def test_unknown_kind_is_refused(org):
    with pytest.raises(AssessmentError):
        services.card_start(actor=org.member.user, kind="poster", year=THIS_YEAR)


# --- save ------------------------------------------------------------------------------


def test_member_writes_several_items_per_section_in_order(org):
    card = services.card_start(actor=org.member.user, kind="goal_card", year=THIS_YEAR)
    saved = services.card_save(
        actor=org.member.user,
        card_id=card.pk,
        version=card.version,
        items=items_input(goals=["安全生产零事故", "  ", "完成技改项目"], study=["每月读一本书"]),
    )
    assert saved.version == card.version + 1
    assert list(card.items.filter(section="goals").values_list("text", "position")) == [
        ("安全生产零事故", 0),
        ("完成技改项目", 1),
    ]
    kept = card.items.get(text="完成技改项目")
    services.card_save(
        actor=org.member.user,
        card_id=card.pk,
        version=saved.version,
        items={"goals": [services.ItemInput(id=kept.pk, text="完成两个技改项目")]},
    )
    assert list(card.items.filter(section="goals").values_list("pk", "text")) == [(kept.pk, "完成两个技改项目")]
    assert card.items.filter(section="study").count() == 1  # sections not sent stay as they were


def test_second_save_from_a_stale_page_is_refused(org):
    card = card_in(org.member)
    services.card_save(actor=org.member.user, card_id=card.pk, version=card.version, items=items_input(goals=["甲"]))
    with pytest.raises(services.ConcurrentEditError):
        services.card_save(
            actor=org.member.user, card_id=card.pk, version=card.version, items=items_input(goals=["乙"])
        )
    assert list(card.items.filter(section="goals").values_list("text", flat=True)) == ["甲"]


@pytest.mark.parametrize("who", others("member"))
def test_nobody_else_writes_a_members_card(org, who):
    card = card_in(org.member)
    with pytest.raises(AssessmentError):
        services.card_save(
            actor=user_of(org, who), card_id=card.pk, version=card.version, items=items_input(goals=["x"])
        )
    assert_unchanged(card)
    assert card.items.get(section="goals").text == "goals-1"


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED])
def test_card_out_of_the_members_hands_cannot_be_edited(org, status):
    card = card_in(org.member, status)
    with pytest.raises(AssessmentError):
        services.card_save(actor=org.member.user, card_id=card.pk, version=card.version, items=items_input(goals=["x"]))
    assert_unchanged(card)


def test_returned_card_can_be_edited(org):
    card = card_in(org.member, S.RETURNED)
    services.card_save(actor=org.member.user, card_id=card.pk, version=card.version, items=items_input(goals=["改"]))
    assert card.items.get(section="goals").text == "改"


@pytest.mark.parametrize("section", ["tasks", "nonsense"])
def test_member_cannot_write_the_branch_tasks_or_unknown_sections(org, section):
    card = card_in(org.member, tasks=1)
    with pytest.raises(AssessmentError):
        services.card_save(
            actor=org.member.user, card_id=card.pk, version=card.version, items=items_input(**{section: ["x"]})
        )
    assert card.items.get(section="tasks").text == "任务1"


def test_item_of_another_section_cannot_be_smuggled_in(org):
    card = card_in(org.member)
    study = card.items.get(section="study")
    with pytest.raises(AssessmentError):
        services.card_save(
            actor=org.member.user,
            card_id=card.pk,
            version=card.version,
            items={"goals": [services.ItemInput(id=study.pk, text="偷换")]},
        )
    study.refresh_from_db()
    assert (study.section, study.text) == ("study", "study-1")


def test_goal_card_has_no_role_aimed(org):
    card = card_in(org.member)
    with pytest.raises(ValidationError):
        services.card_save(
            actor=org.member.user, card_id=card.pk, version=card.version, items={}, role_aimed="technical"
        )


# --- submit ----------------------------------------------------------------------------


def test_member_submits_a_complete_card(org):
    card = card_in(org.member)
    services.card_submit(actor=org.member.user, card_id=card.pk, version=card.version)
    card.refresh_from_db()
    assert card.status == S.SUBMITTED and card.submitted_at is not None
    log = last_log(card)
    assert (log.action, log.from_status, log.to_status, log.actor) == ("submit", S.DRAFT, S.SUBMITTED, org.member.user)


def test_incomplete_card_is_not_submitted_and_says_which_sections(org):
    card = card_in(org.member)
    card.items.filter(section__in=["study", "masses"]).delete()
    with pytest.raises(ValidationError) as exc:
        services.card_submit(actor=org.member.user, card_id=card.pk)
    assert set(exc.value.error_dict) == {"study", "masses"}
    assert_unchanged(card, logs=0)


def test_member_resubmits_a_returned_card(org):
    card = card_in(org.member, S.RETURNED, submitted_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    services.card_submit(actor=org.member.user, card_id=card.pk)
    card.refresh_from_db()
    assert card.status == S.SUBMITTED and card.submitted_at.year == 2020  # the first submission is kept
    assert (last_log(card).action, last_log(card).from_status) == ("resubmit", S.RETURNED)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED])
def test_card_cannot_be_submitted_twice(org, status):
    card = card_in(org.member, status)
    with pytest.raises(AssessmentError):
        services.card_submit(actor=org.member.user, card_id=card.pk)
    assert_unchanged(card, logs=0)


@pytest.mark.parametrize("who", others("member"))
def test_only_the_member_submits(org, who):
    card = card_in(org.member)
    with pytest.raises(AssessmentError):
        services.card_submit(actor=user_of(org, who), card_id=card.pk)
    assert_unchanged(card, logs=0)


def test_submit_from_a_stale_page_is_refused(org):
    card = card_in(org.member)
    with pytest.raises(services.ConcurrentEditError):
        services.card_submit(actor=org.member.user, card_id=card.pk, version=card.version - 1)
    assert_unchanged(card, logs=0)


# --- return and approve ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "committee"])
def test_branch_returns_a_submitted_card_with_a_comment(org, who):
    card = card_in(org.member, S.SUBMITTED)
    services.card_return(actor=user_of(org, who), card_id=card.pk, version=card.version, comment="目标要量化")
    card.refresh_from_db()
    assert card.status == S.RETURNED
    log = last_log(card)
    assert (log.action, log.from_status, log.to_status, log.comment, log.actor) == (
        "return",
        S.SUBMITTED,
        S.RETURNED,
        "目标要量化",
        user_of(org, who),
    )


def test_return_needs_a_comment(org):
    card = card_in(org.member, S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.card_return(actor=org.secretary.user, card_id=card.pk, version=card.version, comment="  ")
    assert_unchanged(card, logs=0)


@pytest.mark.parametrize("who", ["secretary", "committee"])
def test_branch_approves_a_submitted_card(org, who):
    card = card_in(org.member, S.SUBMITTED)
    services.card_approve(actor=user_of(org, who), card_id=card.pk, version=card.version, comment="同意")
    card.refresh_from_db()
    assert card.status == S.APPROVED and card.approved_at is not None
    assert (last_log(card).action, last_log(card).comment) == ("approve", "同意")


@pytest.mark.parametrize("action", ["card_return", "card_approve"])
@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.APPROVED])
def test_branch_decides_only_on_a_submitted_card(org, action, status):
    card = card_in(org.member, status)
    with pytest.raises(AssessmentError):
        getattr(services, action)(actor=org.secretary.user, card_id=card.pk, version=card.version, comment="x")
    assert_unchanged(card, logs=0)


@pytest.mark.parametrize("action", ["card_return", "card_approve"])
@pytest.mark.parametrize("who", others("secretary", "committee"))
def test_only_the_cards_branch_decides(org, action, who):
    card = card_in(org.member, S.SUBMITTED)
    with pytest.raises(AssessmentError):
        getattr(services, action)(actor=user_of(org, who), card_id=card.pk, version=card.version, comment="x")
    assert_unchanged(card, logs=0)


def test_two_officers_deciding_at_once_cannot_both_win(org):
    """The committee member returns; the secretary's approve, from a page read before, is refused."""
    card = card_in(org.member, S.SUBMITTED)
    read_at = card.version
    services.card_return(actor=org.committee.user, card_id=card.pk, version=read_at, comment="再改改")
    with pytest.raises(AssessmentError):
        services.card_approve(actor=org.secretary.user, card_id=card.pk, version=read_at)
    card.refresh_from_db()
    assert card.status == S.RETURNED


def test_approve_from_a_stale_page_is_refused_even_when_the_state_matches(org):
    """Returned, revised and resubmitted since the officer opened it: they have not read this card."""
    card = card_in(org.member, S.SUBMITTED)
    read_at = card.version
    services.card_return(actor=org.committee.user, card_id=card.pk, version=read_at, comment="再改改")
    services.card_submit(actor=org.member.user, card_id=card.pk)
    with pytest.raises(services.ConcurrentEditError):
        services.card_approve(actor=org.secretary.user, card_id=card.pk, version=read_at)
    card.refresh_from_db()
    assert card.status == S.SUBMITTED


# --- X tasks -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(S.values))
def test_branch_assigns_x_tasks_in_any_state_without_making_the_members_page_stale(org, status):
    card = card_in(org.member, status)
    item = services.card_task_add(actor=org.secretary.user, card_id=card.pk, text="带好一名新员工")
    services.card_task_add(actor=org.committee.user, card_id=card.pk, text="参加抢修突击队")
    assert list(card.items.filter(section="tasks").values_list("text", "position")) == [
        ("带好一名新员工", 0),
        ("参加抢修突击队", 1),
    ]
    assert item.assigned_by == org.secretary.user
    log = CardLog.objects.filter(card=card, action="assign_task").first()
    assert (log.from_status, log.to_status, log.comment) == (status, status, "带好一名新员工")
    assert_unchanged(card)  # the version too


@pytest.mark.parametrize("who", others("secretary", "committee"))
def test_only_the_branch_assigns_x_tasks(org, who):
    card = card_in(org.member)
    with pytest.raises(AssessmentError):
        services.card_task_add(actor=user_of(org, who), card_id=card.pk, text="x")
    assert not card.items.filter(section="tasks").exists()


def test_task_needs_a_text_and_goes_only_into_the_tasks_section(org):
    card = card_in(org.member)
    with pytest.raises(ValidationError):
        services.card_task_add(actor=org.secretary.user, card_id=card.pk, text=" ")
    with pytest.raises(AssessmentError):
        services.card_task_add(actor=org.secretary.user, card_id=card.pk, text="x", section="goals")
    assert card.items.count() == 5


def test_branch_withdraws_a_task(org):
    card = card_in(org.member, S.SUBMITTED, tasks=1)
    task = card.items.get(section="tasks")
    services.card_task_remove(actor=org.secretary.user, card_id=card.pk, item_id=task.pk)
    assert not CardItem.objects.filter(pk=task.pk).exists()
    assert (last_log(card).action, last_log(card).comment) == ("withdraw_task", "任务1")


def test_only_tasks_are_withdrawn_and_only_by_the_branch(org):
    card = card_in(org.member, tasks=1)
    task = card.items.get(section="tasks")
    with pytest.raises(AssessmentError):
        services.card_task_remove(actor=org.secretary.user, card_id=card.pk, item_id=card.items.get(section="goals").pk)
    for who in others("secretary", "committee"):
        with pytest.raises(AssessmentError):
            services.card_task_remove(actor=user_of(org, who), card_id=card.pk, item_id=task.pk)
    assert card.items.count() == 6


def test_a_task_already_checked_stays(org):
    card = card_in(org.member, S.APPROVED, tasks=1)
    check_in(card, K.REPORTED, filled=True)
    task = card.items.get(section="tasks")
    with pytest.raises(AssessmentError):
        services.card_task_remove(actor=org.secretary.user, card_id=card.pk, item_id=task.pk)
    assert CardItem.objects.filter(pk=task.pk).exists()


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


def entries_of(self_check, result=CheckResult.DONE, note="完成"):
    return {e.item_id: services.EntryInput(result=result, note=note) for e in self_check.entries.all()}


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


# --- the pledge form (3+X) on the same engine -------------------------------------------


def test_pledge_needs_the_role_aimed_at_before_it_is_submitted(org):
    card = services.card_start(actor=org.member.user, kind=PLEDGE.kind, year=THIS_YEAR)
    services.card_save(
        actor=org.member.user,
        card_id=card.pk,
        version=card.version,
        items=items_input(goals=["年度目标"], measures=["争优措施"], commitments=["承诺"]),
    )
    with pytest.raises(ValidationError) as exc:
        services.card_submit(actor=org.member.user, card_id=card.pk)
    assert set(exc.value.error_dict) == {"role_aimed"}
    with pytest.raises(AssessmentError):  # the goal card's fourth section is not on a pledge
        services.card_save(actor=org.member.user, card_id=card.pk, version=2, items=items_input(study=["x"]))
    services.card_save(actor=org.member.user, card_id=card.pk, version=2, items={}, role_aimed="innovation")
    services.card_submit(actor=org.member.user, card_id=card.pk)
    card.refresh_from_db()
    assert (card.status, card.role_aimed) == (S.SUBMITTED, Card.RoleAimed.INNOVATION)


def test_pledge_is_marked_done_or_not_at_year_end(org):
    card = card_in(org.member, S.APPROVED, kind=PLEDGE.kind, role_aimed="technical", tasks=1)
    with pytest.raises(AssessmentError):
        services.check_start(actor=org.member.user, card_id=card.pk, checkpoint="q1")
    with pytest.raises(AssessmentError):
        services.check_start(
            actor=org.member.user, card_id=card.pk, checkpoint="year_end", today=datetime.date(THIS_YEAR, 11, 30)
        )
    self_check = services.check_start(
        actor=org.member.user, card_id=card.pk, checkpoint="year_end", today=datetime.date(THIS_YEAR, 12, 1)
    )
    with pytest.raises(ValidationError):  # "in progress" is not a year-end result
        services.check_save(
            actor=org.member.user,
            check_id=self_check.pk,
            version=self_check.version,
            entries=entries_of(self_check, CheckResult.IN_PROGRESS),
        )
    services.check_save(
        actor=org.member.user,
        check_id=self_check.pk,
        version=self_check.version,
        entries=entries_of(self_check, CheckResult.DONE),
    )
    services.check_report(actor=org.member.user, check_id=self_check.pk)
    services.check_acknowledge(actor=org.secretary.user, check_id=self_check.pk, version=None)
    self_check.refresh_from_db()
    assert self_check.status == K.ACKNOWLEDGED and self_check.entries.count() == 4
