"""The goal plan card (5+X) walked through in a browser: member1 fills in a card on a
phone and submits it, secretary1 adds an X task and approves it, member1 self-checks
the first quarter with the big thumb-sized choices and reports it, secretary1 reviews
it. Every step shows in the card's history.

The pages are found by their test ids, never by their wording: the Chinese wording of
the card pages is added to the catalogue after this test was written.
"""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assessment.models import Card, CardLog, CheckResult, SelfCheck
from tests.browser.favicon import block_favicon

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def open_as(browser: Browser, browser_context_args: dict, login, username: str, **device) -> Page:
    context = browser.new_context(**{**browser_context_args, **device})
    return login(block_favicon(context.new_page()), username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_goal_card_from_draft_to_a_reviewed_self_check(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    year = timezone.localdate().year

    # member1, on a phone, starts this year's card and writes every section; two goals.
    member = open_as(browser, browser_context_args, login, "member1", **PHONE)
    member.goto(f"{live_server.url}/assessment/cards/")
    click_and_wait(member, member.get_by_test_id(f"start-card-{year}"))
    texts = {
        "goals": "全年安全生产零违章",
        "measures": "每周开展一次隐患自查",
        "commitments": "严守纪律，廉洁从业",
        "study": "每月精读一篇重要文献",
        "masses": "联系三名青年员工，每月谈心",
    }
    for key, text in texts.items():
        member.get_by_test_id(f"edit-section-{key}").locator("textarea").first.fill(text)
    member.get_by_test_id("add-goals").click()
    member.get_by_test_id("edit-section-goals").locator("textarea").nth(1).fill("完成一项技术改造")
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    shot(member, "card-edit-phone")
    click_and_wait(member, member.get_by_test_id("save-submit-card"))
    card = Card.objects.get(member__user__username="member1", year=year)
    assert card.status == Card.Status.SUBMITTED
    assert list(card.items.filter(section="goals").values_list("text", flat=True)) == [
        "全年安全生产零违章",
        "完成一项技术改造",
    ]
    expect(member.get_by_test_id("submit-card")).to_have_count(0)

    # secretary1 finds it on the branch's board, adds an X task and approves the card.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{live_server.url}/assessment/cards/board/?state=submitted")
    row = secretary.get_by_test_id(f"board-row-{card.member.employee_no}")
    click_and_wait(secretary, row.get_by_role("link"))
    expect(secretary).to_have_url(f"{live_server.url}/assessment/cards/{card.pk}/")
    secretary.get_by_test_id("task-panel").locator("textarea").fill("帮带一名入党积极分子")
    click_and_wait(secretary, secretary.get_by_test_id("task-panel").locator("button[type=submit]"))
    expect(secretary.get_by_test_id("section-tasks").get_by_test_id("item")).to_have_count(1)
    click_and_wait(secretary, secretary.get_by_test_id("approve-panel").locator("button[type=submit]"))
    card.refresh_from_db()
    assert card.status == Card.Status.APPROVED
    shot(secretary, "card-approved")

    # member1 self-checks the first quarter: done for every item but one, which is in progress.
    member.goto(f"{live_server.url}/assessment/cards/{card.pk}/")
    click_and_wait(member, member.get_by_test_id("start-check-q1"))
    items = member.get_by_test_id("check-item")
    expect(items).to_have_count(7)
    for i in range(7):
        choice = items.nth(i).get_by_test_id("choice-in_progress" if i == 6 else "choice-done")
        assert choice.bounding_box()["height"] >= 44  # a thumb-sized target
        choice.tap()
    items.nth(6).locator("textarea").fill("已确定培养对象，正在帮带")
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    shot(member, "card-check-phone")
    click_and_wait(member, member.get_by_test_id("report-check"))
    self_check = SelfCheck.objects.get(card=card, checkpoint="q1")
    assert self_check.status == SelfCheck.Status.REPORTED
    results = dict(self_check.entries.values_list("item__section", "result").filter(item__section="tasks"))
    assert results == {"tasks": CheckResult.IN_PROGRESS}
    assert self_check.entries.filter(result=CheckResult.DONE).count() == 6

    # secretary1 sees the quarter waiting for review on the board and marks it reviewed.
    secretary.goto(f"{live_server.url}/assessment/cards/board/?checkpoint=q1&check=reported")
    row = secretary.get_by_test_id(f"board-row-{card.member.employee_no}")
    expect(row).to_have_count(1)
    click_and_wait(secretary, row.locator(f"a[href='/assessment/cards/{card.pk}/checks/q1/']"))
    click_and_wait(secretary, secretary.get_by_test_id("acknowledge-panel").locator("button[type=submit]"))
    self_check.refresh_from_db()
    assert self_check.status == SelfCheck.Status.ACKNOWLEDGED
    expect(secretary.get_by_test_id("acknowledge-panel")).to_have_count(0)

    # Every step is in the card's history, which member1 reads on the card page.
    member.goto(f"{live_server.url}/assessment/cards/{card.pk}/")
    actions = list(CardLog.objects.filter(card=card).values_list("action", flat=True))
    assert actions == ["start", "submit", "assign_task", "approve", "report", "acknowledge"]
    expect(member.get_by_test_id("card-history").locator("li")).to_have_count(6)
    shot(member, "card-detail-phone")
