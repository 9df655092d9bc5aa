"""Every move of a card: happy path, each illegal source state, each wrong role, stale
versions; and what the pledge kind needs from the engine (self-checks:
test_self_check_services.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.models import PLEDGE, Card, CardItem, CardLog, CheckResult, SelfCheck
from assessment.services import AssessmentError
from assessment.services import cards as services
from assessment.tests.test_cards_factories import (
    THIS_YEAR,
    assert_unchanged,
    card_in,
    check_in,
    entries_of,
    items_input,
    last_log,
    others,
    user_of,
)

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


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
