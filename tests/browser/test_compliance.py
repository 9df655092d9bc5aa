"""三会一课 walked through in a browser, by links alone after the first page.

secretary1 opens 三会一课 from the menu and finds the committee line red where a month that
has ended had no committee meeting (the demo company holds one every month but that one);
follows the line's "plan one" link, plans the committee meeting for that month, takes
attendance (every committee member present), goes back through the menu and finds the month
met and the figure one higher. secretary1 then downloads a member's report as Word, which names
the member. The administrator opens every branch's list from the menu, sorts it by rate,
keeps only the branches behind, exports the workbook (the branch behind is a row of it), and
changes the Party lecture to twice a quarter on the requirements page.
"""

from __future__ import annotations

import datetime
import re

import docx
import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from members.models import Branch, Member
from study import demo as study_demo
from study.models import Attendance, MeetingRule, StudySession
from tests.browser.favicon import block_favicon

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def company(demo_company):
    """The demo company with the study platform's year: every branch holds its committee meeting
    each month but one or two that have ended (secretary1's branch misses one), its group
    meetings, assemblies and lectures, attendance taken; and reports this quarter and the last."""
    study_demo.build(seed=1)
    return demo_company


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**{**browser_context_args, "viewport": DESKTOP, "accept_downloads": True})
    return login(block_favicon(context.new_page()), username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def shots(shot, page: Page, name: str) -> None:
    """The page at 1366 px and at 390 px wide (the phone's layout), then back to the desktop."""
    shot(page, f"compliance-{name}")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
    shot(page, f"compliance-{name}-phone")
    page.set_viewport_size(DESKTOP)


def menu(page: Page, test_id: str) -> None:
    """Open the party-spirit training menu and follow one of its entries."""
    page.get_by_test_id("nav-study").click()
    item = page.get_by_test_id(test_id)
    expect(item).to_be_visible()
    click_and_wait(page, item)


def figure(text: str) -> tuple[int, int]:
    held, required = re.fullmatch(r"\s*(\d+)/(\d+)\s*", text).groups()
    return int(held), int(required)


def test_secretary_closes_a_gap_and_admin_reads_every_branch(
    company, browser, browser_context_args, login, live_server, shot, tmp_path
):
    today = timezone.localdate()
    # A year with months that have ended: this one, or in January the last (the demo has nothing
    # then, so every month of it is behind).
    year = today.year if today.month > 1 else today.year - 1
    secretary1 = Member.objects.get(user__username="secretary1")
    branch = secretary1.branch
    committee = Member.objects.filter(branch=branch, is_active=True).exclude(committee_role=Member.CommitteeRole.NONE)

    # 1. The secretary's table: the committee line is red in a month that ended without a meeting.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    menu(secretary, "nav-compliance")
    if year != today.year:
        secretary.get_by_test_id("compliance-filter").locator("select[name=year]").select_option(str(year))
        click_and_wait(secretary, secretary.get_by_test_id("compliance-filter").locator("button[type=submit]"))
    expect(secretary.locator("h1")).to_contain_text(str(year))
    line = secretary.get_by_test_id("rule-committee").get_by_test_id("line")
    expect(line).to_have_count(1)
    expect(line.get_by_test_id("line-figure")).to_have_attribute("data-behind", "1")
    cells = line.locator("td[data-state]")
    expect(cells).to_have_count(12)
    states = [cells.nth(i).get_attribute("data-state") for i in range(12)]
    month = states.index("behind") + 1
    if year == today.year:
        assert "met" in states, states  # the other months' committee meetings count
    before = figure(line.get_by_test_id("line-figure").inner_text())
    branch_before = figure(secretary.get_by_test_id("branch-figure").inner_text())
    shots(shot, secretary, "branch-behind")

    # "Plan one": the form comes as a committee meeting for the committee.
    click_and_wait(secretary, line.get_by_test_id("plan-committee"))
    expect(secretary.locator("#id_kind")).to_have_value(StudySession.Kind.COMMITTEE)
    expect(secretary.locator("#id_audience")).to_have_value(StudySession.Audience.COMMITTEE)
    title = f"{month}月支委会：研究党员教育管理工作"
    secretary.locator("#id_title").fill(title)
    secretary.locator("#id_content_tag").select_option(StudySession.ContentTag.HIGHER)
    secretary.locator("#id_starts_at").fill(f"{year}-{month:02d}-10T09:30")
    secretary.locator("#id_duration_minutes").fill("60")
    secretary.locator("#id_location").fill("支部会议室")
    secretary.locator("#id_content").fill("研究本月党员发展和教育管理工作，支委逐一发表意见，形成会议决定。")
    secretary.locator("#id_requirements").fill("会前准备意见，会上逐一表态，会后分工落实。")
    shots(shot, secretary, "plan-committee")
    click_and_wait(secretary, secretary.locator("form.card[method=post] button[type=submit]"))
    expect(secretary.locator(".alert-success")).to_be_visible()
    session = StudySession.objects.get(title=title)
    assert session.kind == StudySession.Kind.COMMITTEE
    assert session.audience == StudySession.Audience.COMMITTEE
    assert session.branch_id == branch.pk
    assert timezone.localtime(session.starts_at).date() == datetime.date(year, month, 10)

    # Attendance: the committee, and only it, every one present.
    click_and_wait(secretary, secretary.get_by_test_id("take-attendance"))
    rows = secretary.get_by_test_id("attendance-row")
    expect(rows).to_have_count(committee.count())
    names = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())]
    assert sorted(names) == sorted(m.name for m in committee)
    expect(secretary.locator("[data-testid=attendance-row] input[value=present]:checked")).to_have_count(
        committee.count()
    )
    shots(shot, secretary, "committee-attendance")
    click_and_wait(secretary, secretary.get_by_test_id("attendance-form").locator("button[type=submit]"))
    expect(secretary.get_by_test_id("attendance-summary")).to_be_visible()
    session.refresh_from_db()
    assert session.attendance_taken_at is not None
    assert set(session.attendance.values_list("member_id", "status")) == {
        (m.pk, Attendance.Status.PRESENT) for m in committee
    }

    # Back to 三会一课 through the menu: the month is met, the figures one higher.
    menu(secretary, "nav-compliance")
    if year != today.year:
        secretary.get_by_test_id("compliance-filter").locator("select[name=year]").select_option(str(year))
        click_and_wait(secretary, secretary.get_by_test_id("compliance-filter").locator("button[type=submit]"))
    line = secretary.get_by_test_id("rule-committee").get_by_test_id("line")
    expect(line.locator("td[data-state]").nth(month - 1)).to_have_attribute("data-state", "met")
    expect(line.get_by_test_id("line-figure")).to_have_text(f"{before[0] + 1}/{before[1]}")
    expect(secretary.get_by_test_id("branch-figure")).to_have_text(f"{branch_before[0] + 1}/{branch_before[1]}")
    expect(secretary.get_by_test_id("meetings-counted")).to_contain_text(title)
    shots(shot, secretary, "branch-met")

    # 2. A member's report as Word, from the report's own page (the review board, by the menu).
    menu_item = secretary.locator(".dropdown-menu a[href$='/reports/review/']")
    secretary.get_by_test_id("nav-study").click()
    click_and_wait(secretary, menu_item)
    board_rows = (
        secretary.get_by_test_id("board-table")
        .locator("tbody tr")
        .filter(has=secretary.locator("a[href*='/reports/']"))
    )
    expect(board_rows.first).to_be_visible()
    name = board_rows.first.locator("td").nth(1).inner_text().strip()
    click_and_wait(secretary, board_rows.first.locator("a[href*='/reports/']"))
    expect(secretary.locator("h1")).to_contain_text(name)
    with secretary.expect_download() as info:
        secretary.get_by_test_id("report-docx").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / "report.docx"
    download.save_as(path)
    document = docx.Document(str(path))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert name in text

    # 3. The administrator: every branch, by rate, behind only, as a workbook.
    admin = open_as(browser, browser_context_args, login, "admin")
    menu(admin, "nav-compliance-company")
    table = admin.get_by_test_id("company-table")
    expect(table.get_by_test_id("company-row")).to_have_count(Branch.objects.count())
    if year != today.year:
        admin.locator("#cc-year").select_option(str(year))
        click_and_wait(admin, admin.get_by_test_id("compliance-filter").locator("button[type=submit]"))
    click_and_wait(admin, table.locator("thead a[href*='sort=rate']"))
    expect(admin.locator("#cc-sort")).to_have_value("rate")
    rates = [float(t.rstrip("%")) for t in admin.get_by_test_id("rate").all_inner_texts() if t.strip() not in ("", "—")]
    assert rates == sorted(rates), rates
    admin.locator("#cc-behind").check()
    click_and_wait(admin, admin.get_by_test_id("compliance-filter").locator("button[type=submit]"))
    expect(admin.locator("#cc-behind")).to_be_checked()
    expect(admin.locator("#cc-sort")).to_have_value("rate")
    behind_rows = admin.get_by_test_id("company-row")
    expect(behind_rows.first).to_be_visible()
    for i in range(behind_rows.count()):
        assert int(behind_rows.nth(i).get_by_test_id("behind").inner_text()) > 0
    if year == today.year:
        # secretary1's branch held its committee meetings now and the demo misses nothing else there.
        expect(behind_rows.filter(has_text=branch.name)).to_have_count(0)
    behind_name = behind_rows.first.locator("td").first.inner_text().strip()
    shots(shot, admin, "company-behind")
    with admin.expect_download() as info:
        admin.get_by_test_id("compliance-export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "compliance.xlsx"
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows_read = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    values = [str(v) for row in rows_read for v in row if v is not None]
    assert behind_name in values
    if year == today.year:
        assert branch.name not in values
    workbook.close()

    # The requirements, from the menu: the Party lecture twice a quarter.
    menu(admin, "nav-compliance-rules")
    lecture = MeetingRule.objects.get(kind=StudySession.Kind.LECTURE)
    row = admin.get_by_test_id("rule-row").filter(has=admin.locator(f"input[name$='-id'][value='{lecture.pk}']"))
    expect(row).to_have_count(1)
    row.locator("input[name$='-times']").fill("2")
    row.locator("select[name$='-every']").select_option(MeetingRule.Every.QUARTER)
    click_and_wait(admin, admin.get_by_test_id("rules-form").locator("button[type=submit]"))
    expect(admin.locator(".alert-success")).to_be_visible()
    expect(admin.get_by_test_id("rules-history")).to_be_visible()
    lecture.refresh_from_db()
    assert (lecture.times, lecture.every) == (2, MeetingRule.Every.QUARTER)
    row = admin.get_by_test_id("rule-row").filter(has=admin.locator(f"input[name$='-id'][value='{lecture.pk}']"))
    expect(row.locator("input[name$='-times']")).to_have_value("2")
    shots(shot, admin, "rules-saved")
