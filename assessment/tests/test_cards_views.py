"""The card pages: the scope rule on every URL, the whole workflow through the web,
form errors, and a bounded number of queries on the branch's board."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Card, CardLog, CheckResult, SelfCheck
from assessment.tests.test_cards_factories import THIS_YEAR, card_in, check_in, user_of
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


def card_urls(card: Card, item_pk: int) -> list[tuple[str, str]]:
    """(method, url) for every page of one card."""
    pk = card.pk
    return [
        ("get", reverse("assessment:card_detail", args=[pk])),
        ("get", reverse("assessment:card_edit", args=[pk])),
        ("post", reverse("assessment:card_edit", args=[pk])),
        ("post", reverse("assessment:card_submit", args=[pk])),
        ("post", reverse("assessment:card_return", args=[pk])),
        ("post", reverse("assessment:card_approve", args=[pk])),
        ("post", reverse("assessment:card_task_add", args=[pk])),
        ("post", reverse("assessment:card_task_remove", args=[pk, item_pk])),
        ("get", reverse("assessment:card_check", args=[pk, "q1"])),
        ("post", reverse("assessment:card_check", args=[pk, "q1"])),
        ("post", reverse("assessment:card_check_start", args=[pk, "q1"])),
        ("post", reverse("assessment:card_check_acknowledge", args=[pk, "q1"])),
        ("post", reverse("assessment:card_check_return", args=[pk, "q1"])),
    ]


POST_DATA = {"version": "1", "comment": "x", "text": "x"}


@pytest.mark.parametrize(
    "who, status",
    [
        ("groupmate", S.APPROVED),
        ("leader", S.DRAFT),  # a draft is not yet submitted
        ("other_secretary", S.SUBMITTED),
        ("member_b", S.APPROVED),
        ("masses", S.APPROVED),
    ],
)
def test_every_card_url_answers_404_outside_the_scope(client_for, org, who, status):
    card = card_in(org.member, status, tasks=1)
    self_check = check_in(card, K.REPORTED, filled=True) if status == S.APPROVED else None
    client = client_for(user_of(org, who))
    for method, url in card_urls(card, card.items.get(section="tasks").pk):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == 404, (method, url)
    card.refresh_from_db()
    assert (card.status, card.items.count()) == (status, 6)
    if self_check:
        self_check.refresh_from_db()
        assert self_check.status == K.REPORTED
    assert not CardLog.objects.exists()


def test_branch_cannot_open_a_card_for_a_member_of_another_branch(client_for, org):
    url = reverse("assessment:card_for_member", args=[org.member_b.pk, THIS_YEAR])
    assert client_for(org.secretary).post(url).status_code == 404
    assert not Card.objects.exists()


@pytest.mark.parametrize(
    "who, status, code",
    [
        ("member", S.DRAFT, 200),
        ("leader", S.SUBMITTED, 200),
        ("secretary", S.DRAFT, 200),
        ("committee", S.APPROVED, 200),
        ("admin", S.RETURNED, 200),
    ],
)
def test_card_page_is_shown_within_the_scope(client_for, org, who, status, code):
    card = card_in(org.member, status, tasks=1)
    response = client_for(user_of(org, who)).get(reverse("assessment:card_detail", args=[card.pk]))
    assert response.status_code == code
    assert "任务1" in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "secretary", "admin"])
def test_only_the_member_opens_the_edit_page(client_for, org, who):
    card = card_in(org.member, S.RETURNED)
    assert client_for(user_of(org, who)).get(reverse("assessment:card_edit", args=[card.pk])).status_code == 403


@pytest.mark.parametrize("who, code", [("member", 403), ("leader", 403), ("secretary", 200), ("admin", 200)])
def test_board_is_for_the_branch_and_administrators(client_for, org, who, code):
    assert client_for(user_of(org, who)).get(reverse("assessment:card_board")).status_code == code


def test_the_boards_search_box_starts_empty_and_keeps_what_was_searched(client_for, org):
    client = client_for(org.secretary)
    assert 'name="q" value=""' in client.get(reverse("assessment:card_board")).content.decode()
    searched = client.get(reverse("assessment:card_board"), {"q": "张三"}).content.decode()
    assert 'name="q" value="张三"' in searched


def test_leader_and_admin_read_but_cannot_approve(client_for, org):
    card = card_in(org.member, S.SUBMITTED)
    for who in ("leader", "admin"):
        client = client_for(user_of(org, who))
        page = client.get(reverse("assessment:card_detail", args=[card.pk]))
        assert "approve_form" not in page.context
        response = client.post(
            reverse("assessment:card_approve", args=[card.pk]), {"version": card.version}, follow=True
        )
        # The refusal is shown on the form, with the page it was posted from.
        assert response.status_code == 200
        assert response.context["approve_form"].non_field_errors()
    card.refresh_from_db()
    assert card.status == S.SUBMITTED


# --- the workflow through the web ---------------------------------------------------------


def edit_data(card: Card, **sections: list[str]) -> dict:
    """The edit form's POST: the given texts as new rows under each section."""
    data = {"version": card.version}
    for spec in card.template.member_sections:
        texts = sections.get(spec.key, [])
        existing = list(card.items.filter(section=spec.key))
        rows = [(item.pk, item.text) for item in existing] + [("", t) for t in texts]
        data[f"{spec.key}-TOTAL_FORMS"] = str(len(rows))
        data[f"{spec.key}-INITIAL_FORMS"] = str(len(existing))
        for i, (pk, text) in enumerate(rows):
            data[f"{spec.key}-{i}-id"] = pk
            data[f"{spec.key}-{i}-text"] = text
    return data


def logged_in(user) -> Client:
    """A client of its own, so that two people can take turns in one test."""
    client = Client()
    client.force_login(user)
    return client


def test_the_card_goes_round_the_whole_workflow(org):
    member = logged_in(org.member.user)
    response = member.post(reverse("assessment:card_year", args=[THIS_YEAR]))
    card = Card.objects.get(member=org.member, year=THIS_YEAR)
    assert response["Location"] == reverse("assessment:card_edit", args=[card.pk])
    assert member.get(response["Location"]).status_code == 200

    # Two goals, one of everything else, saved as a draft.
    data = edit_data(card, goals=["年度安全零违章", "完成设备改造"], measures=["每周巡检"], commitments=["带头加班"])
    assert member.post(reverse("assessment:card_edit", args=[card.pk]), data).status_code == 302
    card.refresh_from_db()
    assert list(card.items.filter(section="goals").values_list("text", flat=True)) == ["年度安全零违章", "完成设备改造"]

    # Submitting with two sections empty keeps the draft and says why.
    response = member.post(
        reverse("assessment:card_edit", args=[card.pk]), {**edit_data(card), "submit": "1"}, follow=True
    )
    card.refresh_from_db()
    assert card.status == S.DRAFT
    assert len([m for m in response.context["messages"] if m.level_tag == "error"]) == 2
    data = {**edit_data(card, study=["学习党章"], masses=["联系三名员工"]), "submit": "1"}
    member.post(reverse("assessment:card_edit", args=[card.pk]), data)
    card.refresh_from_db()
    assert card.status == S.SUBMITTED

    # The secretary adds an X task, returns the card; the member resubmits; the secretary approves.
    secretary = logged_in(org.secretary.user)
    secretary.post(reverse("assessment:card_task_add", args=[card.pk]), {"text": "培养一名青年骨干"})
    secretary.post(
        reverse("assessment:card_return", args=[card.pk]), {"version": card.version, "comment": "目标要量化"}
    )
    card.refresh_from_db()
    assert card.status == S.RETURNED
    page = member.get(reverse("assessment:card_detail", args=[card.pk]))
    assert page.context["last_return"].comment == "目标要量化"
    member.post(reverse("assessment:card_edit", args=[card.pk]), {**edit_data(card), "submit": "1"})
    card.refresh_from_db()
    secretary.post(reverse("assessment:card_approve", args=[card.pk]), {"version": card.version, "comment": ""})
    card.refresh_from_db()
    assert card.status == S.APPROVED

    # The member self-checks the first quarter and reports it; the branch returns it, then acknowledges.
    member.post(reverse("assessment:card_check_start", args=[card.pk, "q1"]))
    self_check = SelfCheck.objects.get(card=card, checkpoint="q1")
    check_url = reverse("assessment:card_check", args=[card.pk, "q1"])
    page = member.get(check_url)
    assert page.status_code == 200 and "form" in page.context
    items = list(card.items.all())
    assert len(items) == 7
    data = {"version": self_check.version, "report": "1"}
    for item in items:
        data[f"result_{item.pk}"] = CheckResult.DONE
        data[f"note_{item.pk}"] = "已完成"
    data[f"result_{items[0].pk}"] = CheckResult.NOT_DONE
    data[f"note_{items[0].pk}"] = ""
    response = member.post(check_url, data, follow=True)
    self_check.refresh_from_db()
    assert self_check.status == K.DRAFT  # not done needs a reason
    assert f"note_{items[0].pk}" in response.context["form"].errors  # said next to the item
    data.update({"version": self_check.version, f"note_{items[0].pk}": "设备未到货"})
    member.post(check_url, data)
    self_check.refresh_from_db()
    assert self_check.status == K.REPORTED
    secretary.post(
        reverse("assessment:card_check_return", args=[card.pk, "q1"]),
        {"version": self_check.version, "comment": "请写明预计完成时间"},
    )
    self_check.refresh_from_db()
    assert self_check.status == K.RETURNED
    member.post(check_url, {**data, "version": self_check.version, f"note_{items[0].pk}": "设备未到货，六月完成"})
    self_check.refresh_from_db()
    secretary.post(reverse("assessment:card_check_acknowledge", args=[card.pk, "q1"]), {"version": self_check.version})
    self_check.refresh_from_db()
    assert self_check.status == K.ACKNOWLEDGED

    actions = list(CardLog.objects.filter(card=card).values_list("action", flat=True))
    assert actions == [
        "start",
        "submit",
        "assign_task",
        "return",
        "resubmit",
        "approve",
        "report",
        "return_check",
        "re_report",
        "acknowledge",
    ]
    page = member.get(reverse("assessment:card_detail", args=[card.pk]))
    assert len(page.context["logs"]) == 10
    assert 'data-testid="card-history"' in page.content.decode()


def test_stale_edit_page_is_refused_and_says_so(client_for, org):
    card = card_in(org.member)
    client = client_for(org.member)
    data = edit_data(card, goals=["第一次"])
    client.post(reverse("assessment:card_edit", args=[card.pk]), data)
    response = client.post(
        reverse("assessment:card_edit", args=[card.pk]),
        edit_data(card, goals=["第二次"]) | {"version": data["version"]},
    )
    assert response.status_code == 200
    assert response.context["header"].non_field_errors()
    assert not card.items.filter(text="第二次").exists()


def test_return_without_a_comment_shows_the_form_error(client_for, org):
    card = card_in(org.member, S.SUBMITTED)
    response = client_for(org.secretary).post(
        reverse("assessment:card_return", args=[card.pk]), {"version": card.version, "comment": ""}
    )
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    card.refresh_from_db()
    assert card.status == S.SUBMITTED


def test_branch_opens_a_card_from_the_board_and_assigns_a_task(client_for, org):
    client = client_for(org.secretary)
    response = client.post(reverse("assessment:card_for_member", args=[org.member.pk, THIS_YEAR]))
    card = Card.objects.get(member=org.member)
    assert response["Location"] == reverse("assessment:card_detail", args=[card.pk])
    client.post(reverse("assessment:card_task_add", args=[card.pk]), {"text": "参加技术攻关"})
    task = card.items.get(section="tasks")
    client.post(reverse("assessment:card_task_remove", args=[card.pk, task.pk]))
    assert not card.items.exists()


def test_unknown_checkpoint_is_not_found(client_for, org):
    card = card_in(org.member, S.APPROVED)
    assert client_for(org.member).get(reverse("assessment:card_check", args=[card.pk, "q5"])).status_code == 404


def test_member_list_offers_this_year(client_for, org):
    card_in(org.member, S.APPROVED, year=THIS_YEAR - 3)
    response = client_for(org.member).get(reverse("assessment:card_list"))
    assert response.status_code == 200
    assert [year for year, _card in response.context["rows"]] == [THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1]
    assert len(response.context["older"]) == 1


# --- the board's queries ---------------------------------------------------------------------


def board_queries(client, branch, n: int) -> int:
    for _ in range(n):
        member = MemberFactory(branch=branch)
        card = card_in(member, S.APPROVED, tasks=1)
        check_in(card, K.REPORTED, filled=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assessment:card_board"), {"year": THIS_YEAR})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_board_queries_do_not_grow_with_the_branch(client_for, org):
    client = client_for(org.secretary)
    small = board_queries(client, org.branch_a, 5)
    large = board_queries(client, org.branch_a, 25)  # 30 members with cards now, and the 6 personas
    assert small == large
    response = client.get(
        reverse("assessment:card_board"), {"year": THIS_YEAR, "checkpoint": "q1", "check": "reported"}
    )
    assert response.context["page"].paginator.count == 30
