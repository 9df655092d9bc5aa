"""A suggestion form walked through in a browser by the people who handle it: member1
writes one (the "three not-afraids" beside the form), secretary1 finds it in the
branch's open list by age, replies and passes it up, the administrator replies and
closes it, and member1 reads the whole thread and sees it counted for the year. A
secretary of another branch gets 404 for it."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from activities.models import Suggestion
from tests.browser.favicon import block_favicon

TITLE = "夜班交接班清单化"


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    page = block_favicon(context.new_page())
    return login(page, username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def act(page: Page, action: str, text: str = "") -> None:
    panel = page.get_by_test_id(f"action-{action}")
    if text:
        panel.locator("textarea").fill(text)
    click_and_wait(page, panel.locator("button[type=submit]"))


def test_suggestion_goes_from_member_to_company_and_back(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    url = f"{live_server.url}/activities/suggestions"

    # member1 writes the suggestion.
    member = open_as(browser, browser_context_args, login, "member1")
    member.goto(f"{url}/mine/")
    expect(member.get_by_test_id("suggestion-empty")).to_be_visible()
    click_and_wait(member, member.get_by_test_id("suggestion-create"))
    expect(member.get_by_test_id("three-not-afraid")).to_be_visible()
    form = member.get_by_test_id("suggestion-form")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_situation").fill("夜班交接时，设备巡检记录只写“正常”，缺少具体参数。")
    form.locator("#id_problem").fill("交接内容靠口头传达，隐患容易遗漏，出了问题难以追溯。")
    form.locator("#id_suggestion").fill("制定交接班检查清单，关键参数逐项填写，双方签字确认。")
    shot(member, "suggestion-form")
    click_and_wait(member, form.locator("button[type=submit]"))
    expect(member.get_by_test_id("suggestion-title")).to_have_text(TITLE)
    expect(member.get_by_test_id("suggestion-status")).to_be_visible()
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.status == Suggestion.Status.SUBMITTED
    # Until the branch takes it up the member may still add a note.
    act(member, "comment", "补充：白班也有类似情况。")
    expect(member.get_by_test_id("thread-entry")).to_have_count(2)

    # secretary1 finds it in the branch's open suggestions, oldest first, with its age.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{url}/open/")
    row = secretary.get_by_test_id("suggestion-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("days-open")).to_have_text("0")
    shot(secretary, "suggestion-queue")
    click_and_wait(secretary, row.get_by_role("link", name=TITLE))
    act(secretary, "reply", "支部已收到，涉及交接班制度，先与运行部沟通。")
    act(secretary, "escalate", "涉及公司交接班制度修订，提请公司党委研究。")
    expect(secretary.get_by_test_id("action-close")).to_have_count(0)
    secretary.goto(f"{url}/open/")
    expect(secretary.get_by_test_id("suggestion-row").filter(has_text=TITLE)).to_have_count(0)

    # The administrator sees it among those passed up, replies and closes it.
    admin = open_as(browser, browser_context_args, login, "admin")
    admin.goto(f"{url}/open/")
    click_and_wait(admin, admin.get_by_test_id("suggestion-row").filter(has_text=TITLE).get_by_role("link", name=TITLE))
    act(admin, "reply", "组织部已转运行部研究。")
    act(admin, "close", "已纳入公司交接班制度修订，下月起执行。")
    shot(admin, "suggestion-closed")

    # member1 follows it to its end.
    member.goto(f"{url}/mine/")
    row = member.get_by_test_id("suggestion-row").filter(has_text=TITLE)
    click_and_wait(member, row.get_by_role("link", name=TITLE))
    thread = member.get_by_test_id("thread-entry")
    expect(thread).to_have_count(6)
    expect(thread.last).to_contain_text("已纳入公司交接班制度修订，下月起执行。")
    expect(thread.nth(2)).to_contain_text("支部已收到")
    expect(member.get_by_test_id("action-comment")).to_have_count(0)
    shot(member, "suggestion-thread")
    member.goto(f"{url}/mine/")
    expect(member.get_by_test_id("this-year-count")).to_have_text("1")

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.CLOSED
    assert list(suggestion.entries.values_list("action", flat=True)) == [
        "submit",
        "comment",
        "reply",
        "escalate",
        "reply",
        "close",
    ]

    # Another branch's secretary cannot open it.
    outsider = open_as(browser, browser_context_args, login, "secretary2")
    response = outsider.goto(f"{url}/{suggestion.pk}/")
    assert response is not None and response.status == 404
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
