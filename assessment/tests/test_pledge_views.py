"""The pledge form's (3+X) own pages: its URLs carry the kind, its list and board post
to its own year and open-for-member pages, and the goal card keeps its own."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Card, CardKind, CardLog, CheckResult, SelfCheck
from assessment.services import cards as services
from assessment.tests.test_cards_factories import THIS_YEAR, card_in, user_of
from assessment.tests.test_cards_views import edit_data, logged_in

pytestmark = pytest.mark.django_db
S = Card.Status


def test_pledge_goes_from_start_to_approval_and_shows_on_the_list_and_board(org):
    member = logged_in(org.member.user)
    page = member.get(reverse("assessment:pledge_list"))
    assert page.status_code == 200
    assert page.context["template"].kind == CardKind.PLEDGE
    assert reverse("assessment:pledge_year", args=[THIS_YEAR]) in page.content.decode()
    assert reverse("assessment:card_year", args=[THIS_YEAR]) not in page.content.decode()

    # The start page, then the start itself: a pledge, not a goal card.
    assert member.get(reverse("assessment:pledge_year", args=[THIS_YEAR])).status_code == 200
    response = member.post(reverse("assessment:pledge_year", args=[THIS_YEAR]))
    card = Card.objects.get(member=org.member, year=THIS_YEAR)
    assert card.kind == CardKind.PLEDGE
    assert response["Location"] == reverse("assessment:card_edit", args=[card.pk])
    edit = member.get(response["Location"])
    assert "role_aimed" in edit.context["header"].fields
    assert [spec.key for spec, _fs in edit.context["formsets"]] == ["goals", "measures", "commitments"]

    # The three sections and the role aimed, submitted in one go.
    data = edit_data(card, goals=["全年安全零违章"], measures=["每周巡检"], commitments=["带头攻坚"])
    data.update({"role_aimed": Card.RoleAimed.TECHNICAL, "submit": "1"})
    assert member.post(reverse("assessment:card_edit", args=[card.pk]), data).status_code == 302
    card.refresh_from_db()
    assert (card.status, card.role_aimed) == (S.SUBMITTED, Card.RoleAimed.TECHNICAL)
    assert card.items.count() == 3

    # The secretary adds an X task and approves.
    secretary = logged_in(org.secretary.user)
    secretary.post(reverse("assessment:card_task_add", args=[card.pk]), {"text": "帮带一名新员工"})
    card.refresh_from_db()
    secretary.post(reverse("assessment:card_approve", args=[card.pk]), {"version": card.version, "comment": ""})
    card.refresh_from_db()
    assert card.status == S.APPROVED
    assert list(card.items.filter(section="tasks").values_list("text", flat=True)) == ["帮带一名新员工"]
    assert list(CardLog.objects.filter(card=card).values_list("action", flat=True)) == [
        "start",
        "submit",
        "assign_task",
        "approve",
    ]

    # The member's list and the branch's board show it, linking to the pledge's pages.
    page = member.get(reverse("assessment:pledge_list"))
    assert dict(page.context["rows"])[THIS_YEAR] == card
    assert reverse("assessment:card_detail", args=[card.pk]) in page.content.decode()
    page = secretary.get(reverse("assessment:pledge_board"))
    assert page.status_code == 200
    row = next(m for m in page.context["page"].object_list if m.pk == org.member.pk)
    assert (row.card_id, row.state) == (card.pk, S.APPROVED)
    assert list(page.context["checkpoints"]) == ["year_end"]
    # Members without a pledge are opened through the pledge's own URL.
    html = page.content.decode()
    assert reverse("assessment:pledge_for_member", args=[org.groupmate.pk, THIS_YEAR]) in html
    assert reverse("assessment:card_for_member", args=[org.groupmate.pk, THIS_YEAR]) not in html

    # The detail page points back to the pledge's own list and board.
    page = member.get(reverse("assessment:card_detail", args=[card.pk]))
    assert reverse("assessment:pledge_list") in page.content.decode()
    page = secretary.get(reverse("assessment:card_detail", args=[card.pk]))
    assert reverse("assessment:pledge_board") in page.content.decode()


def test_pledge_year_end_check_marks_each_item_done_or_not(org):
    card = card_in(org.member, S.APPROVED, kind=CardKind.PLEDGE, tasks=1, role_aimed=Card.RoleAimed.MANAGEMENT)
    page = logged_in(org.member.user).get(reverse("assessment:card_detail", args=[card.pk]))
    [row] = page.context["checkpoints"]
    assert row.checkpoint == "year_end"
    if timezone.localdate() < datetime.date(THIS_YEAR, 12, 1):
        assert 'data-testid="start-check-year_end"' not in page.content.decode()
    services.check_start(
        actor=org.member.user, card_id=card.pk, checkpoint="year_end", today=datetime.date(THIS_YEAR, 12, 1)
    )
    self_check = SelfCheck.objects.get(card=card, checkpoint="year_end")
    url = reverse("assessment:card_check", args=[card.pk, "year_end"])
    member = logged_in(org.member.user)
    page = member.get(url)
    assert page.status_code == 200
    data = {"version": self_check.version, "report": "1"}
    for item in card.items.all():
        data[f"result_{item.pk}"] = CheckResult.DONE
        data[f"note_{item.pk}"] = "已完成"
    member.post(url, data)
    self_check.refresh_from_db()
    assert self_check.status == SelfCheck.Status.REPORTED


def test_pledge_for_member_opens_a_pledge_for_the_branch(org):
    secretary = logged_in(org.secretary.user)
    response = secretary.post(reverse("assessment:pledge_for_member", args=[org.member.pk, THIS_YEAR]))
    card = Card.objects.get(member=org.member, year=THIS_YEAR)
    assert card.kind == CardKind.PLEDGE
    assert response["Location"] == reverse("assessment:card_detail", args=[card.pk])


@pytest.mark.parametrize("who", ["groupmate", "member_b", "other_secretary", "masses"])
def test_someone_elses_pledge_is_404(client_for, org, who):
    card = card_in(org.member, S.SUBMITTED, kind=CardKind.PLEDGE)
    client = client_for(user_of(org, who))
    assert client.get(reverse("assessment:card_detail", args=[card.pk])).status_code == 404
    assert client.get(reverse("assessment:card_edit", args=[card.pk])).status_code == 404


def test_branch_cannot_open_a_pledge_for_a_member_of_another_branch(client_for, org):
    url = reverse("assessment:pledge_for_member", args=[org.member_b.pk, THIS_YEAR])
    assert client_for(org.secretary).post(url).status_code == 404
    assert not Card.objects.exists()


@pytest.mark.parametrize("who, code", [("member", 403), ("leader", 403), ("secretary", 200), ("admin", 200)])
def test_pledge_board_is_for_the_branch_and_administrators(client_for, org, who, code):
    assert client_for(user_of(org, who)).get(reverse("assessment:pledge_board")).status_code == code


def test_goal_card_pages_keep_their_own_urls(org):
    member = logged_in(org.member.user)
    page = member.get(reverse("assessment:card_list"))
    assert page.context["template"].kind == CardKind.GOAL_CARD
    html = page.content.decode()
    assert reverse("assessment:card_year", args=[THIS_YEAR]) in html
    assert reverse("assessment:pledge_year", args=[THIS_YEAR]) not in html
    member.post(reverse("assessment:card_year", args=[THIS_YEAR]))
    card = Card.objects.get(member=org.member, year=THIS_YEAR)
    assert card.kind == CardKind.GOAL_CARD

    page = logged_in(org.secretary.user).get(reverse("assessment:card_board"))
    html = page.content.decode()
    assert reverse("assessment:card_for_member", args=[org.groupmate.pk, THIS_YEAR]) in html
    assert reverse("assessment:pledge_for_member", args=[org.groupmate.pk, THIS_YEAR]) not in html
    assert len(page.context["checkpoints"]) == 4


def test_menu_links_to_the_pledge_pages(org):
    html = logged_in(org.member.user).get(reverse("home")).content.decode()
    assert reverse("assessment:pledge_list") in html
    assert reverse("assessment:pledge_board") not in html
    html = logged_in(org.secretary.user).get(reverse("home")).content.decode()
    assert reverse("assessment:pledge_board") in html
