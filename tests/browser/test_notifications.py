"""Hearing of things when they happen, in a browser: secretary1 returns member1's report
naming two sections; member1 sees the unread count, finds the notification naming the
sections, opens it and lands on the report. Then secretary1 reminds, from the review
board, the members who have not submitted, after confirming in the dialog.
"""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Page, expect

from members.models import Member
from partybuild.lib.quarters import Quarter
from reminders.models import Notification
from study.models import QuarterlyReport
from study.tests.factories import QuarterlyReportFactory
from tests.browser.favicon import block_favicon

CJK = re.compile(r"[\u3400-\u9fff]")
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def zh(msgid: str) -> str:
    with override("zh-hans"):
        text = gettext(msgid)
    assert CJK.search(text), f"{msgid!r} has no zh-hans translation"
    return text


def open_as(browser: Browser, browser_context_args: dict, login, username: str, width: str = "desktop") -> Page:
    context = browser.new_context(**browser_context_args, viewport=WIDTHS[width])
    return login(block_favicon(context.new_page()), username)


def submit_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def no_horizontal_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def waiting_report(demo_company) -> QuarterlyReport:
    member = Member.objects.get(user__username="member1")
    return QuarterlyReportFactory(
        member=member,
        branch=member.branch,
        group=member.group,
        quarter=Quarter.current().code,
        status=QuarterlyReport.Status.WITH_BRANCH,
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_returned_report_reaches_the_member_who_opens_it(
    waiting_report, browser, browser_context_args, login, live_server, shot, width
):
    report = waiting_report
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{live_server.url}/study/reports/{report.pk}/")
    panel = secretary.get_by_test_id("return-panel")
    panel.get_by_label(zh("2. What I took from it"), exact=True).check()
    panel.get_by_label(zh("4. Party-spirit analysis"), exact=True).check()
    panel.locator("textarea[name=comment]").fill("体会不够具体，请结合本季度工作重写。")
    submit_and_wait(secretary, panel.locator("button[type=submit]"))
    expect(secretary.get_by_test_id("report-status")).to_have_text(zh("Returned"))

    member = open_as(browser, browser_context_args, login, "member1", width)
    unread = Notification.objects.filter(recipient__username="member1", read_at__isnull=True).count()
    assert unread >= 1
    expect(member.get_by_test_id("unread-count").first).to_have_text(str(unread))
    member.goto(f"{live_server.url}/notifications/")
    notes = member.get_by_test_id("notification-list")
    returned = notes.locator("button[name=notification]", has_text=zh("4. Party-spirit analysis"))
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(zh("2. What I took from it"))
    expect(returned).to_contain_text("体会不够具体")
    no_horizontal_overflow(member)
    shot(member, f"notifications-{width}")
    submit_and_wait(member, returned)
    expect(member).to_have_url(f"{live_server.url}/study/reports/{report.pk}/")
    assert Notification.objects.get(recipient__username="member1", kind=Notification.Kind.REPORT_RETURNED).read_at


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_secretary_reminds_who_has_not_submitted(
    demo_company, browser, browser_context_args, login, live_server, shot, width
):
    secretary = open_as(browser, browser_context_args, login, "secretary1", width)
    secretary.goto(f"{live_server.url}/study/reports/review/")
    form = secretary.get_by_test_id("remind-unsubmitted")
    expect(form).to_be_visible()
    no_horizontal_overflow(secretary)
    shot(secretary, f"review-board-remind-{width}")
    form.locator("button[type=submit]").click()
    dialog = secretary.get_by_test_id("confirm-modal")
    expect(dialog).to_be_visible()
    shot(secretary, f"review-board-remind-confirm-{width}")
    with secretary.expect_navigation():
        dialog.get_by_test_id("confirm-ok").click()
    reminded = Notification.objects.filter(kind=Notification.Kind.REPORT_NUDGE).count()
    assert reminded > 0
    expect(secretary.locator(".alert-success")).to_contain_text(str(reminded))
    shot(secretary, f"review-board-reminded-{width}")
