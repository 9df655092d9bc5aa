"""The quarterly Party-spirit report, walked through in a browser by the three people
who handle it: member1 writes and submits, leader1 forwards, secretary1 returns two
sections with a re-study assignment, member1 revises and resubmits, leader1 forwards
again, and secretary1 approves with a grade. Every step shows in the report's history.
"""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Page, expect

from partybuild.lib.quarters import Quarter
from study import demo as study_demo
from study.models import QuarterlyReport, ReportTransition, StudySession
from tests.browser.favicon import block_favicon

CJK = re.compile(r"[\u3400-\u9fff]")


def zh(msgid: str) -> str:
    with override("zh-hans"):
        text = gettext(msgid)
    assert CJK.search(text), f"{msgid!r} has no zh-hans translation"
    return text


@pytest.fixture
def company(demo_company):
    study_demo.build(seed=1)
    return demo_company


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    page = block_favicon(context.new_page())
    return login(page, username)


def submit_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_report_goes_round_the_whole_review(company, browser, browser_context_args, login, live_server, shot):
    quarter = Quarter.current()

    # member1 writes this quarter's report from the home page and submits it.
    member = open_as(browser, browser_context_args, login, "member1")
    submit_and_wait(member, member.get_by_test_id("home-report-link"))
    submit_and_wait(member, member.get_by_test_id("start-report"))
    member.fill("#id_insights", "学习党章后，更加明确了党员在岗位上的责任。")
    member.fill("#id_analysis", "对照党员标准，主动担当不够，联系群众不经常。")
    rows = member.get_by_test_id("problem-row")
    # The previous quarter's unfinished measure was carried over; add a new problem too.
    member.get_by_test_id("add-problem").click()
    new_row = rows.last
    new_row.locator("textarea[name$='-problem']").fill("理论学习不够系统")
    new_row.locator("textarea[name$='-measure']").fill("每周固定学习两小时")
    shot(member, "report-edit")
    submit_and_wait(member, member.get_by_test_id("save-submit-report"))
    expect(member.get_by_test_id("report-status")).to_have_text(zh("With the group"))
    report = QuarterlyReport.objects.get(member__user__username="member1", quarter=quarter.code)

    # leader1 finds it waiting for the group and forwards it with the group's opinion.
    leader = open_as(browser, browser_context_args, login, "leader1")
    leader.goto(f"{live_server.url}/study/reports/waiting/")
    submit_and_wait(leader, leader.get_by_test_id("waiting-list").get_by_text(report.member.name))
    leader.fill("#forward-opinion", "小组讨论认为内容实在，同意报支部。")
    submit_and_wait(leader, leader.get_by_test_id("forward-panel").locator("button[type=submit]"))
    expect(leader.get_by_test_id("waiting-list").locator(f"a[href='/study/reports/{report.pk}/']")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == QuarterlyReport.Status.WITH_BRANCH

    # secretary1 returns two sections and assigns the member to a re-study session.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{live_server.url}/study/reports/review/?state=with_branch")
    submit_and_wait(
        secretary,
        secretary.get_by_test_id("board-table").locator("tr", has_text=report.member.name).get_by_role("link"),
    )
    expect(secretary).to_have_url(f"{live_server.url}/study/reports/{report.pk}/")
    panel = secretary.get_by_test_id("return-panel")
    panel.get_by_label(zh("2. What I took from it"), exact=True).check()
    panel.get_by_label(zh("4. Party-spirit analysis"), exact=True).check()
    panel.locator("textarea[name=comment]").fill("体会不够具体，党性分析要结合本季度工作重新写。")
    restudy = StudySession.objects.get(branch=report.branch, kind=StudySession.Kind.RESTUDY)
    panel.locator("select[name=restudy_session]").select_option(str(restudy.pk))
    shot(secretary, "report-return")
    submit_and_wait(secretary, panel.locator("button[type=submit]"))
    expect(secretary.get_by_test_id("report-status")).to_have_text(zh("Returned"))
    assert restudy.assigned_members.filter(user__username="member1").exists()

    # member1 sees the return, may change only the two returned sections, and resubmits.
    member.goto(f"{live_server.url}/")
    expect(member.get_by_test_id("home-my-report")).to_contain_text(zh("Returned"))
    submit_and_wait(member, member.get_by_test_id("home-report-link"))
    expect(member.get_by_test_id("returned-banner")).to_be_visible()
    member.goto(f"{live_server.url}/study/reports/{report.pk}/edit/")
    expect(member.locator("#id_studied_notes")).to_be_disabled()
    expect(member.locator("#id_org_life_notes")).to_be_disabled()
    member.fill("#id_insights", "结合本季度检修工作，体会到党员要在最难的任务中站排头。")
    member.fill("#id_analysis", "本季度在设备抢修中冲在前面，但在带动青年员工方面做得不够。")
    submit_and_wait(member, member.get_by_test_id("save-submit-report"))
    expect(member.get_by_test_id("report-status")).to_have_text(zh("With the group"))

    # leader1 forwards again; secretary1 approves with a grade and the 真学真查真改 marks.
    leader.goto(f"{live_server.url}/study/reports/{report.pk}/")
    leader.fill("#forward-opinion", "已按要求修改，同意上报。")
    submit_and_wait(leader, leader.get_by_test_id("forward-panel").locator("button[type=submit]"))
    secretary.goto(f"{live_server.url}/study/reports/{report.pk}/")
    approve = secretary.get_by_test_id("approve-panel")
    approve.get_by_label(zh("Excellent")).check()
    for name in ("truly_studied", "truly_checked", "truly_rectified"):
        approve.locator(f"input[name={name}][value=yes]").check()
    approve.locator("textarea[name=evaluation]").fill("修改认真，查摆深刻，整改措施具体。")
    submit_and_wait(secretary, approve.locator("button[type=submit]"))
    expect(secretary.get_by_test_id("report-status")).to_have_text(zh("Approved"))
    shot(secretary, "report-approved")

    # The history shows every step, in order, to the member too.
    member.goto(f"{live_server.url}/study/reports/{report.pk}/")
    history = member.get_by_test_id("report-history")
    for label in ("Submitted", "Forwarded to the branch", "Returned", "Resubmitted", "Approved"):
        expect(history).to_contain_text(zh(label))
    expect(history).to_contain_text(restudy.title)
    moves = list(ReportTransition.objects.filter(report=report).values_list("action", flat=True))
    assert moves == ["submit", "forward", "return_branch", "resubmit", "forward", "approve"]
    report.refresh_from_db()
    assert report.grade == QuarterlyReport.Grade.EXCELLENT
    assert report.problems.filter(problem="理论学习不够系统").exists()
