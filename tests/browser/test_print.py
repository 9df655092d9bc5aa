"""Printing: the flag board prints without navigation, buttons or filters, one Party
group a page; the report's print view fits the paper form."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from assessment.models import Period
from assessment.services.periods import period_close
from assessment.services.results import results_compute, results_publish
from members.models import Member, User
from tests.browser.favicon import block_favicon
from tests.browser.test_flagboard import period  # noqa: F401 (a fixture: ratings for every member of branch 1)


def test_flag_board_prints_one_group_a_page(period, browser: Browser, browser_context_args, login, live_server):  # noqa: F811
    admin = User.objects.get(username="admin")
    period_close(actor=admin, period_id=period.pk)
    results_compute(actor=admin, period_id=period.pk)
    results_publish(actor=admin, period_id=period.pk)
    member1 = Member.objects.get(user__username="member1")
    context = browser.new_context(**browser_context_args)
    page = login(block_favicon(context.new_page()), "secretary1")
    page.goto(f"{live_server.url}/assessment/results/{period.code}/flags/{member1.branch_id}/")
    groups = page.get_by_test_id("board-group").count()
    assert groups >= 2
    expect(page.get_by_test_id("board-print")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator("nav.pb-navbar")).to_be_hidden()
    expect(page.get_by_test_id("board-print")).to_be_hidden()
    expect(page.get_by_test_id("link-wall")).to_be_hidden()
    expect(page.get_by_test_id("flag-board")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == groups
    assert Period.objects.get(pk=period.pk).state == Period.State.PUBLISHED
