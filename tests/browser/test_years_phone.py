"""A member's years side by side on a 390 px phone: five years scroll inside their box,
the row titles stay in view, and the page itself never becomes wider than the screen
(the changes' screen-reader words once widened it to 695 px)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, expect

from assessment.demo import ratings as assessment_demo
from assessment.models import Period, Result
from members.models import Member


@pytest.fixture
def five_years(demo_company):
    """The demo's last year (published or final) and four earlier published years for member1."""
    assessment_demo.build(seed=1)
    last = Period.objects.filter(state__in=[Period.State.PUBLISHED, Period.State.FINAL]).get()
    member1 = Member.objects.get(user__username="member1")
    was = Result.objects.get(period=last, member=member1)
    year = last.starts_on.year
    for back, (total, flag, rank) in enumerate(
        (("84.40", "yellow", 8), ("91.05", "red", 2), ("78.20", "blue", 9), ("69.50", "grey", 10)), 1
    ):
        period = Period.objects.create(
            code=str(year - back),
            name=f"{year - back}年度党员量化考核",
            starts_on=datetime.date(year - back, 1, 1),
            ends_on=datetime.date(year - back, 12, 31),
            state=Period.State.PUBLISHED,
            rubric=last.rubric,
        )
        Result.objects.create(
            period=period,
            member=member1,
            branch_id=was.branch_id,
            group_id=was.group_id,
            total=total,
            rank_branch=rank,
            rank_company=rank * 3,
            flag=flag,
            computed_at=was.computed_at,
        )
    return last


def test_five_years_scroll_inside_their_box_on_a_phone(
    five_years, browser: Browser, browser_context_args, login, live_server, shot
):
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 390, "height": 844}})
    page = login(context.new_page(), "member1")
    page.goto(f"{live_server.url}/assessment/results/{five_years.code}/mine/")
    section = page.get_by_test_id("result-years")
    expect(section).to_be_visible()
    expect(section.locator("thead th[data-testid^=year-]")).to_have_count(5)
    box = section.locator(".table-responsive")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    shot(page, "years_phone_scrolled")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    # The row titles stay where the box begins while the years scroll past them.
    title = section.get_by_test_id("years-total").locator("th")
    assert abs(title.bounding_box()["x"] - box.bounding_box()["x"]) < 2
    context.close()
