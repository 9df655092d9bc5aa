"""Masses raters kept in the browser: secretary1 finds the page in the menu, adds a rater,
links two members of the branch with the picker's search box, issues the rater a one-time
link from the links page (reached from the raters' page), and deactivates another rater
after the dialog says what that does. Screenshots at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.demo import ratings as assessment_demo
from assessment.models import MassesBallot, Period
from members.models import MassesRater, Member
from tests.browser.favicon import block_favicon

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def company(demo_company):
    assessment_demo.build(seed=1)
    return demo_company


def open_as(browser: Browser, browser_context_args: dict, login, username: str, viewport: dict) -> Page:
    context = browser.new_context(**browser_context_args, viewport=viewport)
    return login(block_favicon(context.new_page()), username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_secretary_adds_a_rater_links_two_members_and_issues_a_link(
    company, browser, browser_context_args, login, live_server, shot
):
    secretary_member = Member.objects.get(user__username="secretary1")
    branch = secretary_member.branch
    ratees = list(Member.objects.filter(branch=branch, is_active=True).order_by("employee_no")[:2])
    other_branch_member = Member.objects.exclude(branch=branch).first()

    page = open_as(browser, browser_context_args, login, "secretary1", DESKTOP)
    page.get_by_test_id("nav-members").click()
    click_and_wait(page, page.get_by_test_id("nav-masses-raters"))
    expect(page.get_by_test_id("masses-table")).to_be_visible()
    shot(page, "masses-list-1366")

    click_and_wait(page, page.get_by_test_id("masses-add"))
    form = page.get_by_test_id("masses-form")
    form.locator("#id_employee_no").fill("Q7001")
    form.locator("#id_name").fill("王师傅")
    picker = page.get_by_test_id("ratee-picker")
    # Another branch's members are not offered at all.
    expect(picker.get_by_text(other_branch_member.employee_no)).to_have_count(0)
    for member in ratees:
        picker.get_by_test_id("ratee-search").fill(member.employee_no)
        shown = picker.locator("[data-pb-item]:visible")
        expect(shown).to_have_count(1)
        shown.locator("input[type=checkbox]").check()
    picker.get_by_test_id("ratee-search").fill("查无此人")
    expect(picker.locator("[data-pb-none]")).to_be_visible()
    picker.get_by_test_id("ratee-search").fill("")
    expect(picker.locator("[data-pb-item]:visible").first).to_be_visible()
    shot(page, "masses-form-1366")
    click_and_wait(page, page.get_by_test_id("masses-save"))
    expect(page.locator(".alert-success")).to_contain_text("王师傅")
    rater = MassesRater.objects.get(employee_no="Q7001")
    assert rater.branch == branch and set(rater.ratees.all()) == set(ratees)

    # The links page, from the raters' page: issue the new rater's link.
    period = Period.objects.get(state=Period.State.OPEN)
    click_and_wait(page, page.locator("main a[href*='/assessment/ballots/']"))
    row = page.get_by_test_id("ballot-table").locator("tr", has_text="王师傅")
    click_and_wait(page, row.locator("button[type=submit]"))
    expect(page.locator(".alert-success")).to_be_visible()
    assert MassesBallot.objects.filter(period=period, rater=rater, used=False).exists()

    # Deactivating asks first, saying what happens; cancelling keeps the rater, confirming does not.
    page.goto(f"{live_server.url}/members/masses/?q=Q7001")
    page.get_by_test_id("masses-deactivate").click()
    dialog = page.get_by_test_id("confirm-modal")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("王师傅")
    shot(page, "masses-deactivate-dialog-1366")
    dialog.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_be_hidden()
    rater.refresh_from_db()
    assert rater.is_active
    page.get_by_test_id("masses-deactivate").click()
    click_and_wait(page, dialog.get_by_test_id("confirm-ok"))
    expect(page.get_by_test_id("masses-reactivate")).to_be_visible()
    rater.refresh_from_db()
    assert not rater.is_active


def test_masses_pages_fit_a_phone(company, browser, browser_context_args, login, live_server, shot):
    page = open_as(browser, browser_context_args, login, "secretary1", PHONE)
    rater = MassesRater.objects.filter(branch__members__user__username="secretary1").first()
    for name, path in [
        ("masses-list-390", "/members/masses/"),
        ("masses-form-390", "/members/masses/new/"),
        ("masses-edit-390", f"/members/masses/{rater.pk}/edit/"),
        ("ballot-list-390", "/assessment/ballots/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        no_overflow(page)
        shot(page, name)
