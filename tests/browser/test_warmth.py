"""Warmth delivery as its users walk it: member1, on a phone, writes their responsibility
area with the three fixes and four guarantees, adds a colleague as a contact point and logs
the help given to them; secretary1, at a desk, opens the quarter board, finds member1 no
longer among those who have logged nothing, and reads the counts by kind."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from activities.models import ContactPoint, HelpRecord, ResponsibilityArea
from members.models import Member
from tests.browser.favicon import block_favicon

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def member_of(username: str) -> Member:
    return Member.objects.select_related("branch").get(user__username=username)


def open_as(browser: Browser, browser_context_args: dict, login, username: str, **extra) -> Page:
    context = browser.new_context(**{**browser_context_args, **extra})
    return login(block_favicon(context.new_page()), username)


def save(page: Page, testid: str) -> None:
    with page.expect_navigation():
        page.get_by_test_id(testid).locator("button[type=submit]").first.click()


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]


def test_member_logs_help_on_a_phone_and_the_secretary_sees_the_board(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    member, leader = member_of("member1"), member_of("leader1")

    # The secretary's board before: member1 and leader1 have logged nothing this quarter.
    desk = open_as(browser, browser_context_args, login, "secretary1")
    desk.goto(f"{live_server.url}/activities/warmth/")
    missing = desk.get_by_test_id("board-table")
    expect(missing.get_by_role("link", name=member.name)).to_be_visible()
    expect(missing.get_by_role("link", name=leader.name)).to_be_visible()
    before = int(desk.get_by_test_id("stat-missing").inner_text())
    assert before == 10

    # member1 on a phone: their page, all empty, with the big "log help" button.
    phone = open_as(browser, browser_context_args, login, "member1", **PHONE)
    phone.goto(f"{live_server.url}/activities/warmth/mine/")
    for empty in ("area-empty", "contacts-empty", "help-empty"):
        expect(phone.get_by_test_id(empty)).to_be_visible()
    fits_the_phone(phone)

    # The responsibility area with the three fixes and four guarantees.
    with phone.expect_navigation():
        phone.get_by_test_id("area-edit").click()
    area = phone.get_by_test_id("area-form")
    expect(area.locator("#id_fixed_post")).to_have_value(member.post)
    area.locator("#id_description").fill("一号机组汽机房零米层及辅机设备，班组六名职工的安全生产和思想动态")
    area.locator("#id_fixed_duty").fill("负责汽机辅机巡回检查、缺陷登记和交接班")
    area.locator("#id_fixed_targets").fill("全年设备缺陷发现率百分之百，责任区零违章")
    area.locator("#id_guarantee_safety").fill("作业前安全交底到人，杜绝习惯性违章")
    area.locator("#id_guarantee_stability").fill("每月与联系点职工谈心一次")
    fits_the_phone(phone)
    save(phone, "area-form")
    expect(phone.get_by_test_id("area-description")).to_contain_text("一号机组汽机房零米层")
    expect(phone.get_by_test_id("guarantees")).to_contain_text("杜绝习惯性违章")

    # A contact point: a non-member colleague.
    with phone.expect_navigation():
        phone.get_by_test_id("contact-create").click()
    contact = phone.get_by_test_id("contact-form")
    contact.locator("#id_name").fill("张建国")
    contact.locator("#id_employee_no").fill("Q000123")
    contact.locator("#id_post").fill("汽机巡检工")
    contact.locator("#id_note").fill("父亲长期住院，家里负担重")
    save(phone, "contact-form")
    expect(phone.get_by_test_id("contact-row")).to_contain_text("张建国")

    # Log help for him: one tap on 帮生活, the date is today already.
    with phone.expect_navigation():
        phone.get_by_test_id("contact-row").get_by_role("link").first.click()
    form = phone.get_by_test_id("help-form")
    expect(form.locator("#id_contact_point")).to_have_value(str(ContactPoint.objects.get().pk))
    form.locator(f"label[for='id_kind_{list(HelpRecord.Kind.values).index(HelpRecord.Kind.LIVING)}']").click()
    form.locator("#id_content").fill("陪同张建国到医院办理父亲的住院手续，协调班组调班三天")
    form.locator("#id_outcome").fill("手续已办好，张师傅表示感谢")
    fits_the_phone(phone)
    shot(phone, "warmth-help-phone")
    save(phone, "help-form")
    expect(phone.get_by_test_id("quarter-total")).to_have_text("1")
    expect(phone.get_by_test_id("help-row")).to_contain_text("陪同张建国到医院")
    shot(phone, "warmth-member-phone")

    record = HelpRecord.objects.get()
    assert (record.member_id, record.kind, record.contact_point.name) == (member.pk, HelpRecord.Kind.LIVING, "张建国")
    assert ResponsibilityArea.objects.get().member_id == member.pk

    # The secretary's board now: one fewer to chase, and member1's help by kind.
    desk.reload()
    expect(desk.get_by_test_id("stat-missing")).to_have_text(str(before - 1))
    expect(desk.get_by_test_id("board-table").get_by_role("link", name=member.name)).to_have_count(0)
    expect(desk.get_by_test_id("board-table").get_by_role("link", name=leader.name)).to_be_visible()
    with desk.expect_navigation():
        desk.get_by_test_id("view-all").click()
    row = desk.get_by_test_id("board-row").filter(has=desk.get_by_role("link", name=member.name))
    expect(row.locator("td").last).to_have_text("1")
    shot(desk, "warmth-board")

    # The secretary reads member1's page but the leader of the group cannot log for them.
    with desk.expect_navigation():
        row.get_by_role("link", name=member.name).click()
    expect(desk.get_by_test_id("area-description")).to_contain_text("一号机组汽机房零米层")
    leader_page = open_as(browser, browser_context_args, login, "leader1")
    leader_page.goto(f"{live_server.url}/activities/warmth/members/{member.pk}/")
    expect(leader_page.get_by_test_id("help-row")).to_have_count(1)
    expect(leader_page.get_by_test_id("help-create")).to_have_count(0)
