"""The scope rule for cards, and the branch board's rows, filters and counts."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from assessment.models import Card, SelfCheck
from assessment.selectors import cards as selectors
from assessment.tests.test_cards_factories import THIS_YEAR, card_in, check_in, user_of
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


@pytest.mark.parametrize(
    "who, status, visible",
    [
        ("member", S.DRAFT, True),
        ("groupmate", S.SUBMITTED, False),
        ("leader", S.DRAFT, False),  # not yet submitted
        ("leader", S.SUBMITTED, True),
        ("leader", S.APPROVED, True),
        ("secretary", S.DRAFT, True),
        ("committee", S.RETURNED, True),
        ("other_secretary", S.SUBMITTED, False),
        ("member_b", S.APPROVED, False),
        ("masses", S.APPROVED, False),
        ("admin", S.DRAFT, True),
    ],
)
def test_card_scope(org, who, status, visible):
    card = card_in(org.member, status)
    user = user_of(org, who)
    assert selectors.card_list_for_user(user=user).filter(pk=card.pk).exists() is visible
    if visible:
        assert selectors.card_get_for_user(user=user, pk=card.pk) == card
    else:
        with pytest.raises(Http404):
            selectors.card_get_for_user(user=user, pk=card.pk)


def test_leader_sees_only_their_groups_cards(org):
    card_a2 = card_in(org.member_a2, S.SUBMITTED)
    with pytest.raises(Http404):
        selectors.card_get_for_user(user=org.leader.user, pk=card_a2.pk)


def test_a_checkpoint_the_card_does_not_have_is_not_found(org):
    card = card_in(org.member, S.APPROVED)
    with pytest.raises(Http404):
        selectors.self_check_get_for_user(user=org.member.user, card_pk=card.pk, checkpoint="year_end")
    assert selectors.self_check_get_for_user(user=org.member.user, card_pk=card.pk, checkpoint="q1") == (card, None)


def test_card_sections_follow_the_template(org):
    card = card_in(org.member, tasks=2)
    sections = selectors.card_sections(card=card)
    assert [s.spec.key for s in sections] == ["goals", "measures", "commitments", "study", "masses", "tasks"]
    assert [len(s.items) for s in sections] == [1, 1, 1, 1, 1, 2]


# --- the board -------------------------------------------------------------------------


@pytest.fixture
def board(org):
    """Branch A this year: member approved with Q1 reported and Q2 reviewed; groupmate
    approved with nothing reported; member_a2 submitted; leader returned; the rest none."""
    approved = card_in(org.member, S.APPROVED)
    check_in(approved, K.REPORTED, checkpoint="q1", filled=True)
    check_in(approved, K.ACKNOWLEDGED, checkpoint="q2", filled=True)
    card_in(org.groupmate, S.APPROVED)
    card_in(org.member_a2, S.SUBMITTED)
    card_in(org.leader, S.RETURNED)
    card_in(org.member_b, S.APPROVED)  # another branch
    card_in(org.secretary, S.APPROVED, year=THIS_YEAR - 1)  # another year
    return org


def board_rows(org, **filters):
    qs = selectors.card_board(branch_id=org.branch_a.pk, year=THIS_YEAR, kind="goal_card")
    return {m.name: m for m in selectors.filter_card_board(qs, **filters)}


def test_board_lists_every_active_member_with_card_and_checks(board):
    MemberFactory(branch=board.branch_a, is_active=False)
    rows = board_rows(board)
    assert set(rows) == {"书记甲", "支委甲", "组长甲", "党员甲", "党员乙", "党员丙"}
    member = rows["党员甲"]
    assert (member.card_status, member.check_q1, member.check_q2, member.check_q3) == (
        S.APPROVED,
        K.REPORTED,
        K.ACKNOWLEDGED,
        None,
    )
    assert rows["书记甲"].card_id is None


@pytest.mark.parametrize(
    "filters, names",
    [
        ({"state": "not_started"}, {"书记甲", "支委甲"}),
        ({"state": S.APPROVED}, {"党员甲", "党员乙"}),
        ({"state": S.RETURNED}, {"组长甲"}),
        ({"group_id": "a2"}, {"支委甲", "党员丙"}),
        ({"search": "党员"}, {"党员甲", "党员乙", "党员丙"}),
        ({"checkpoint": "q1", "check_state": "not_reported"}, {"党员乙"}),
        ({"checkpoint": "q1", "check_state": K.REPORTED}, {"党员甲"}),
        ({"checkpoint": "q2", "check_state": K.ACKNOWLEDGED}, {"党员甲"}),
        ({"checkpoint": "q2", "check_state": "not_reported"}, {"党员乙"}),
        ({"checkpoint": "q3", "check_state": "not_reported"}, {"党员甲", "党员乙"}),
    ],
)
def test_board_filters(board, filters, names):
    if filters.get("group_id") == "a2":
        filters["group_id"] = board.group_a2.pk
    assert set(board_rows(board, **filters)) == names


def test_board_counts(board):
    counts = selectors.card_board_counts(
        branch_id=board.branch_a.pk, year=THIS_YEAR, kind="goal_card", today=datetime.date(THIS_YEAR, 5, 1)
    )
    assert counts.total == 6
    assert counts.by_state == {"not_started": 2, S.DRAFT: 0, S.SUBMITTED: 1, S.RETURNED: 1, S.APPROVED: 2}
    q1, q2, q3, q4 = counts.checkpoints
    assert (q1.expected, q1.waiting, q1.acknowledged, q1.reported, q1.not_reported, q1.percent) == (2, 1, 0, 1, 1, 50)
    assert (q2.acknowledged, q2.not_reported, q2.is_open) == (1, 1, True)
    assert (q3.reported, q3.is_open, q4.is_open) == (0, False, False)


@pytest.mark.parametrize(
    "card_status, check_status, today, cell",
    [
        (S.SUBMITTED, None, datetime.date(THIS_YEAR, 5, 1), "not_due"),
        (S.APPROVED, None, datetime.date(THIS_YEAR, 3, 31), "not_due"),
        (S.APPROVED, None, datetime.date(THIS_YEAR, 4, 1), "not_reported"),
        (S.APPROVED, K.DRAFT, datetime.date(THIS_YEAR, 4, 1), "not_reported"),
        (S.APPROVED, K.REPORTED, datetime.date(THIS_YEAR, 4, 1), K.REPORTED),
        (S.APPROVED, K.RETURNED, datetime.date(THIS_YEAR, 4, 1), K.RETURNED),
        (S.APPROVED, K.ACKNOWLEDGED, datetime.date(THIS_YEAR, 4, 1), K.ACKNOWLEDGED),
    ],
)
def test_board_cell(card_status, check_status, today, cell):
    opens = datetime.date(THIS_YEAR, 4, 1)
    assert selectors.board_cell(card_status=card_status, check_status=check_status, opens=opens, today=today) == cell
