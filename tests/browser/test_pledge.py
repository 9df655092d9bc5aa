"""The pledge form (3+X) walked through in a browser, in Chinese: member1 finds it in the
menu, writes the three sections and the role aimed at, and submits it; secretary1 finds
it on the branch's pledge board, adds an X task and approves it. The year-end marking
opens on 1 December: before that the card says so and offers no button; the test then
moves the clock through the service and member1 marks every item done or not done.

The pages are found by their test ids and URLs, never by their wording: the Chinese
wording of the pledge pages is added to the catalogue after this test was written.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assessment.models import Card, CardKind, CardLog, CheckResult, SelfCheck
from assessment.services import cards as services
from tests.browser.favicon import block_favicon


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    return login(block_favicon(context.new_page()), username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def from_menu(page: Page, url_name: str) -> None:
    page.get_by_test_id("nav-activities").click()
    click_and_wait(page, page.locator(f"a.dropdown-item[href='{reverse(url_name)}']"))


def test_pledge_from_draft_to_the_year_end_marking(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    today = timezone.localdate()
    year = today.year
    year_end = datetime.date(year, 12, 1)

    # member1 finds the pledge form in the menu and starts this year's.
    member = open_as(browser, browser_context_args, login, "member1")
    expect(member.locator("html")).to_have_attribute("lang", "zh-hans")
    from_menu(member, "assessment:pledge_list")
    click_and_wait(member, member.get_by_test_id(f"start-card-{year}"))
    card = Card.objects.get(member__user__username="member1", kind=CardKind.PLEDGE, year=year)
    expect(member).to_have_url(f"{live_server.url}{reverse('assessment:card_edit', args=[card.pk])}")

    # The three sections and the role aimed at; no study or masses section on a pledge.
    expect(member.get_by_test_id("edit-section-study")).to_have_count(0)
    texts = {"goals": "全年安全生产零违章", "measures": "每周开展一次隐患自查", "commitments": "带头攻坚，严守纪律"}
    for key, text in texts.items():
        member.get_by_test_id(f"edit-section-{key}").locator("textarea").first.fill(text)
    member.locator(f"input[name=role_aimed][value={Card.RoleAimed.TECHNICAL}]").check()
    shot(member, "pledge-edit")
    click_and_wait(member, member.get_by_test_id("save-submit-card"))
    card.refresh_from_db()
    assert (card.status, card.role_aimed) == (Card.Status.SUBMITTED, Card.RoleAimed.TECHNICAL)
    assert dict(card.items.values_list("section", "text")) == texts
    expect(member.get_by_test_id("submit-card")).to_have_count(0)

    # secretary1 finds it on the branch's pledge board, adds an X task and approves it.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    from_menu(secretary, "assessment:pledge_board")
    row = secretary.get_by_test_id(f"board-row-{card.member.employee_no}")
    expect(row).to_have_count(1)
    click_and_wait(secretary, row.locator(f"a[href='{reverse('assessment:card_detail', args=[card.pk])}']"))
    secretary.get_by_test_id("task-panel").locator("textarea").fill("帮带一名新入职员工")
    click_and_wait(secretary, secretary.get_by_test_id("task-panel").locator("button[type=submit]"))
    expect(secretary.get_by_test_id("section-tasks").get_by_test_id("item")).to_have_count(1)
    click_and_wait(secretary, secretary.get_by_test_id("approve-panel").locator("button[type=submit]"))
    card.refresh_from_db()
    assert card.status == Card.Status.APPROVED
    shot(secretary, "pledge-approved")

    # The year-end marking: not offered before 1 December.
    member.goto(f"{live_server.url}{reverse('assessment:card_detail', args=[card.pk])}")
    expect(member.get_by_test_id("checkpoint-year_end")).to_have_count(1)
    if today < year_end:
        expect(member.get_by_test_id("start-check-year_end")).to_have_count(0)
        expect(member.get_by_test_id("checkpoint-year_end")).to_contain_text(year_end.isoformat())
        services.check_start(actor=card.member.user, card_id=card.pk, checkpoint="year_end", today=year_end)
        member.reload()
        click_and_wait(member, member.get_by_test_id("open-check-year_end"))
    else:
        click_and_wait(member, member.get_by_test_id("start-check-year_end"))

    # member1 marks each item: the X task not done, with a note; the rest done.
    items = member.get_by_test_id("check-item")
    expect(items).to_have_count(4)
    expect(items.first.get_by_test_id("choice-in_progress")).to_have_count(0)
    task = card.items.get(section="tasks")
    for i in range(4):
        item = items.nth(i)
        is_task = item.locator(f"[name=result_{task.pk}]").count() > 0
        item.get_by_test_id("choice-not_done" if is_task else "choice-done").click()
        if is_task:
            item.locator("textarea").fill("新员工下月入职，届时开始帮带")
    shot(member, "pledge-year-end")
    click_and_wait(member, member.get_by_test_id("report-check"))
    self_check = SelfCheck.objects.get(card=card, checkpoint="year_end")
    assert self_check.status == SelfCheck.Status.REPORTED
    results = dict(self_check.entries.values_list("item__section", "result"))
    assert results == {
        "goals": CheckResult.DONE,
        "measures": CheckResult.DONE,
        "commitments": CheckResult.DONE,
        "tasks": CheckResult.NOT_DONE,
    }
    actions = list(CardLog.objects.filter(card=card).values_list("action", flat=True))
    assert actions == ["start", "submit", "assign_task", "approve", "report"]
