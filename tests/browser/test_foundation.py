"""The foundation as people use it in a browser: login, home, roster, import, language, phone.

Expected wording is never copied from the catalogue: each label is looked up with
gettext on the template's English msgid, and checked to be Chinese, so a missing or
uncompiled translation fails here instead of passing silently.
"""

from __future__ import annotations

import io
import re

import pytest
from django.utils.translation import gettext, override
from openpyxl import Workbook
from playwright.sync_api import Locator, Page, expect

from members.models import Branch, Member, PartyGroup

CJK = re.compile(r"[\u3400-\u9fff]")
ROSTER_HEADERS = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "党员类别",
    "入党日期",
    "转正日期",
    "岗位",
    "职务",
    "手机",
    "邮箱",
    "党支部",
    "党小组",
    "在册",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def translated(msgid: str, language: str = "zh-hans", **params) -> str:
    """The template's label as the user should see it, checked to be Chinese."""
    with override(language):
        text = gettext(msgid)
    assert CJK.search(text), f"{msgid!r} has no {language} translation (is locale/ compiled?)"
    return text % params if params else text


def member_of(username: str) -> Member:
    return Member.objects.select_related("branch", "group").get(user__username=username)


def table_rows(page: Page, testid: str) -> list[list[str]]:
    """Each body row of the table as its cells' text (hidden responsive columns included)."""
    return (
        page.get_by_test_id(testid)
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(r => Array.from(r.cells, c => c.textContent.replace(/\\s+/g, ' ').trim()))")
    )


def roster_numbers(page: Page) -> list[str]:
    return [cells[0] for cells in table_rows(page, "roster-table")]


def roster_branches(page: Page) -> set[str]:
    return {cells[4] for cells in table_rows(page, "roster-table")}


def click_and_wait(page: Page, button: Locator) -> None:
    """Click and wait for the next page: the row reads below do not retry on their own."""
    with page.expect_navigation():
        button.click()


def filter_roster(page: Page) -> None:
    click_and_wait(page, page.get_by_test_id("roster-filter").locator("button[type=submit]"))


def roster_workbook(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(ROSTER_HEADERS)
    for row in rows:
        sheet.append([row.get(header, "") for header in ROSTER_HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roster_row(number: str, name: str, branch: str, group: str = "", **overrides: str) -> dict[str, str]:
    row = {
        "工号": number,
        "姓名": name,
        "性别": "女",
        "出生日期": "1992-03-04",
        "党员类别": "正式党员",
        "入党日期": "2016-07-01",
        "转正日期": "2017-07-01",
        "岗位": "技术员",
        "手机": "13900000000",
        "党支部": branch,
        "党小组": group,
        "在册": "是",
    }
    row.update(overrides)
    return row


def upload_roster(page: Page, live_server, content: bytes, filename: str) -> None:
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", files=[{"name": filename, "mimeType": XLSX, "buffer": content}])
    click_and_wait(page, page.locator("form[enctype='multipart/form-data'] button[type=submit]"))


# --- member home ------------------------------------------------------------------------


def test_member_logs_in_and_sees_home_page_in_chinese(page, live_server, demo_company, login, shot):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text(re.compile(re.escape(translated("Party member education and management"))))
    shot(page, "login")

    login(page, "member1")
    member = member_of("member1")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text(translated("Hello, %(name)s", name=member.name))
    section = page.get_by_test_id("home-member")
    expect(section).to_contain_text(member.branch.name)
    for msgid in ("My Party membership", "Branch", "Party group", "Party status", "Joined the Party", "My record"):
        expect(section).to_contain_text(translated(msgid))
    expect(page.locator(".pb-role-badge")).to_have_text(translated("Party member"))
    shot(page, "member1-home-desktop")


def test_member_switches_to_traditional_chinese_from_the_navbar(page, live_server, demo_company, login):
    login(page, "member1")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # The choice submits the form: wait for the page it leads to (on a busy machine the
    # post, redirect and home page take longer than an assertion's 5 s).
    with page.expect_navigation():
        page.select_option("#pb-language", "zh-hant")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("home-member")).to_contain_text(translated("My Party membership", "zh-hant"))
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_member_home_fits_a_phone_screen_with_a_collapsed_navbar(page, live_server, demo_company, login, shot):
    login(page, "member1")

    overflow = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1], f"the page is {overflow[0]}px wide on a {overflow[1]}px screen"
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#pb-nav")).to_be_hidden()
    shot(page, "member1-home-phone")

    toggler.click()
    expect(page.locator("#pb-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # opened, not mid-animation
    expect(page.locator("#pb-nav").get_by_role("link", name=translated("My record"))).to_be_visible()
    shot(page, "member1-home-phone-menu", full_page=False)


# --- roster -----------------------------------------------------------------------------


def test_secretary_filters_the_roster_by_party_group(page, live_server, demo_company, login, shot):
    login(page, "secretary1")
    branch = member_of("secretary1").branch
    group = PartyGroup.objects.filter(branch=branch).order_by("sort_order").last()
    expected = set(Member.objects.filter(group=group).values_list("employee_no", flat=True))

    page.goto(f"{live_server.url}/members/")
    assert set(roster_numbers(page)) == set(Member.objects.filter(branch=branch).values_list("employee_no", flat=True))
    assert roster_branches(page) == {branch.name}
    shot(page, "secretary1-roster")

    page.select_option("#id_group", str(group.pk))
    filter_roster(page)

    expect(page).to_have_url(re.compile(rf"[?&]group={group.pk}(&|$)"))
    assert set(roster_numbers(page)) == expected
    assert {cells[5] for cells in table_rows(page, "roster-table")} == {group.name}


def test_admin_picks_a_branch_then_one_of_its_party_groups(page, live_server, demo_company, login):
    login(page, "admin")
    branch = Branch.objects.filter(groups__isnull=False).order_by("sort_order", "name").last()

    page.goto(f"{live_server.url}/members/")
    # The company's every group is not offered: a group is picked within a branch.
    expect(page.locator("#id_group")).to_be_disabled()

    page.select_option("#id_branch", str(branch.pk))
    filter_roster(page)
    expect(page.locator("#id_group")).to_be_enabled()
    groups = PartyGroup.objects.filter(branch=branch).order_by("sort_order", "name")
    assert page.locator("#id_group option").all_inner_texts()[1:] == [g.name for g in groups]
    assert roster_branches(page) == {branch.name}

    group = groups.last()
    page.select_option("#id_group", str(group.pk))
    filter_roster(page)
    expect(page).to_have_url(re.compile(rf"[?&]group={group.pk}(&|$)"))
    assert {cells[5] for cells in table_rows(page, "roster-table")} == {group.name}


def test_secretary_searches_the_roster_by_name_within_the_branch(page, live_server, demo_company, login):
    login(page, "secretary1")
    branch = member_of("secretary1").branch
    own = Member.objects.filter(branch=branch).order_by("employee_no")[3]

    page.goto(f"{live_server.url}/members/")
    page.fill("#id_q", own.name)
    filter_roster(page)

    numbers = roster_numbers(page)
    assert own.employee_no in numbers
    assert set(numbers) == set(
        Member.objects.filter(branch=branch, name__contains=own.name).values_list("employee_no", flat=True)
    )

    # A name found only in another branch finds nobody: the search stays inside the branch.
    own_names = list(Member.objects.filter(branch=branch).values_list("name", flat=True))
    stranger = next(
        m
        for m in Member.objects.exclude(branch=branch).order_by("employee_no")
        if not any(m.name in n for n in own_names)
    )
    page.fill("#id_q", stranger.name)
    filter_roster(page)
    expect(page.get_by_test_id("roster-table")).to_have_count(0)
    expect(page.get_by_test_id("roster-empty")).to_contain_text(translated("No member matches these filters."))


def test_roster_filter_survives_pagination_and_clearing_shows_the_whole_branch(page, live_server, build_demo, login):
    # Fifty members a branch: more than one page (25 rows) even after filtering.
    build_demo(members=150)
    login(page, "secretary1")
    branch = member_of("secretary1").branch
    branch_members = Member.objects.filter(branch=branch)
    full = set(branch_members.filter(party_status=Member.PartyStatus.FULL).values_list("employee_no", flat=True))
    assert len(full) > 25

    page.goto(f"{live_server.url}/members/")
    page.select_option("#id_party_status", Member.PartyStatus.FULL)
    filter_roster(page)
    first_page = roster_numbers(page)
    assert len(first_page) == 25

    next_link = page.locator(".pagination a.page-link", has_text=translated("Next"))
    expect(next_link).to_have_attribute("href", re.compile(r"party_status=full.*page=2"))
    click_and_wait(page, next_link)

    expect(page).to_have_url(re.compile(r"party_status=full.*page=2"))
    expect(page.locator("#id_party_status")).to_have_value(Member.PartyStatus.FULL)
    assert set(first_page) | set(roster_numbers(page)) == full
    assert roster_branches(page) == {branch.name}

    page.get_by_role("link", name=translated("Clear filters")).click()
    expect(page).to_have_url(f"{live_server.url}/members/")
    expect(page.locator("#id_party_status")).to_have_value("")
    expect(page.locator(".pagination")).to_contain_text(f"1 / {-(-branch_members.count() // 25)}")
    expect(page.get_by_test_id("roster-counts")).to_contain_text(str(branch_members.count()))
    assert roster_branches(page) == {branch.name}


def test_secretary_opening_a_member_of_another_branch_gets_not_found(page, live_server, demo_company, login):
    login(page, "secretary1")
    other_branch = Branch.objects.exclude(pk=member_of("secretary1").branch_id).order_by("sort_order").first()
    outsider = Member.objects.filter(branch=other_branch).order_by("employee_no").first()

    response = page.goto(f"{live_server.url}/members/{outsider.pk}/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text(translated("The page or record was not found."))
    expect(page.locator("main")).not_to_contain_text(outsider.name)


# --- roster import ----------------------------------------------------------------------


def test_admin_imports_a_roster_after_a_preview_that_lists_each_bad_row(page, live_server, demo_company, login, shot):
    login(page, "admin")
    shot(page, "admin-home")
    branch = Branch.objects.order_by("sort_order").first()
    group = PartyGroup.objects.filter(branch=branch).order_by("sort_order").first()
    roster_size = Member.objects.count()

    bad = roster_workbook(
        [
            roster_row("N9001", "测试甲", "不存在的党支部"),
            roster_row("N9002", "测试乙", branch.name, group.name, 入党日期="2016-13-45"),
        ]
    )
    upload_roster(page, live_server, bad, "bad-roster.xlsx")

    expect(page.get_by_test_id("import-errors-summary")).to_be_visible()
    problems = {(cells[0], cells[1]): cells[2] for cells in table_rows(page, "import-errors")}
    assert set(problems) == {("2", "党支部"), ("3", "入党日期")}
    assert "不存在的党支部" in problems[("2", "党支部")]
    assert "2016-13-45" in problems[("3", "入党日期")]
    expect(page.get_by_role("button", name=translated("Confirm import"))).to_have_count(0)
    assert Member.objects.count() == roster_size
    assert not Member.objects.filter(employee_no__in=["N9001", "N9002"]).exists()
    shot(page, "import-preview-errors")

    good = roster_workbook(
        [
            roster_row("N9001", "测试甲", branch.name),
            roster_row("N9002", "测试乙", branch.name, group.name),
        ]
    )
    upload_roster(page, live_server, good, "roster.xlsx")

    expect(page.get_by_test_id("import-summary")).to_be_visible()
    changes = table_rows(page, "import-changes")
    assert [cells[:3] for cells in changes] == [["2", "N9001", "测试甲"], ["3", "N9002", "测试乙"]]
    assert {cells[3] for cells in changes} == {translated("Add")}
    assert Member.objects.count() == roster_size
    shot(page, "import-preview-ok")

    page.get_by_role("button", name=translated("Confirm import")).click()

    expect(page).to_have_url(f"{live_server.url}/members/")
    expect(page.locator(".alert-success")).to_be_visible()
    page.fill("#id_q", "N900")
    filter_roster(page)
    assert sorted(roster_numbers(page)) == ["N9001", "N9002"]
    added = Member.objects.get(employee_no="N9002")
    assert (added.name, added.branch_id, added.group_id) == ("测试乙", branch.pk, group.pk)
