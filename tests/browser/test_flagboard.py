"""Publishing results and reading them, in a browser: admin closes rating, computes and
publishes a period whose ratings are seeded here; member1 sees their own flag and the
team ranking (小队公示); the flag board (评比台) shows every member of the branch with
their flag, on a desktop, on a wall screen and on a phone; the company chart draws.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from assessment.default_rubric import DEFAULT_RUBRIC_NAME
from assessment.models import Period, RaterGroup, Result, Rubric
from assessment.tests.factories import PeriodFactory, rate
from members.models import MassesRater, Member
from study.models import Talk
from tests.browser.favicon import block_favicon

WALL = {"width": 1920, "height": 1080}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Organisation totals handed out in turn, so that every flag colour occurs in the branch.
ORG_TOTALS = [96, 84, 74, 62, 91, 88, 79, 66, 93]


def ensure_default_rubric() -> None:
    """The live server's database is flushed between tests, data migrations included."""
    if not Rubric.objects.filter(name=DEFAULT_RUBRIC_NAME).exists():
        importlib.import_module("assessment.migrations.0002_default_rubric").load_default_rubric(apps, None)


@pytest.fixture
def period(demo_company) -> Period:
    ensure_default_rubric()
    period = PeriodFactory(code="2026", state=Period.State.OPEN)
    member1 = Member.objects.get(user__username="member1")
    branch_members = list(Member.objects.filter(branch=member1.branch, is_active=True).order_by("employee_no"))
    for i, member in enumerate(branch_members):
        rate(period, member, RaterGroup.ORG, ORG_TOTALS[i % len(ORG_TOTALS)])
    # member1: their own rating, three peers (a mean members may see) and one masses
    # rating (below three: only its completion is shown).
    rate(period, member1, RaterGroup.SELF, 95, rater_member=member1)
    peers = [m for m in branch_members if m.group_id == member1.group_id and m.pk != member1.pk][:3]
    for peer in peers:
        rate(period, member1, RaterGroup.PEER, 90, rater_member=peer)
    rate(period, member1, RaterGroup.MASSES, 88, rater_masses=MassesRater.objects.get(user__username="masses1"))
    return period


def open_as(browser: Browser, browser_context_args: dict, login, username: str, **context_args) -> Page:
    context = browser.new_context(**{**browser_context_args, **context_args})
    return login(block_favicon(context.new_page()), username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_admin_publishes_and_member1_reads_flag_team_and_board(
    period, browser, browser_context_args, login, live_server, shot
):
    base = live_server.url

    # admin: close rating, compute (a preview), publish after confirming.
    admin = open_as(browser, browser_context_args, login, "admin")
    admin.goto(f"{base}/assessment/periods/")
    click_and_wait(admin, admin.get_by_test_id("period-link").first)
    admin.get_by_test_id("action-close").click()  # closing says what it ends, and asks
    click_and_wait(admin, admin.get_by_test_id("confirm-ok"))
    expect(admin.locator(".alert-success")).to_be_visible()
    click_and_wait(admin, admin.get_by_test_id("action-compute"))
    expect(admin.locator(".alert-success")).to_be_visible()
    shot(admin, "period-detail-closed")
    click_and_wait(admin, admin.get_by_test_id("action-publish"))
    shot(admin, "period-publish-confirm")
    click_and_wait(admin, admin.get_by_test_id("publish-submit"))
    expect(admin.locator(".alert-success")).to_be_visible()
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    talks = Talk.objects.filter(source=Talk.Source.ASSESSMENT).count()
    assert talks == Result.objects.filter(period=period).exclude(flag="red").count() > 0
    shot(admin, "period-detail-published")

    member1 = Member.objects.select_related("branch", "group").get(user__username="member1")
    mine = Result.objects.get(period=period, member=member1)

    # member1: their own result, from the results index.
    page = open_as(browser, browser_context_args, login, "member1")
    page.goto(f"{base}/assessment/results/")
    click_and_wait(page, page.get_by_test_id("link-mine"))
    expect(page.get_by_test_id("result-flag")).to_have_attribute("data-flag", mine.flag)
    expect(page.get_by_test_id("result-total")).to_have_text(str(mine.total))
    expect(page.get_by_test_id("result-rank")).to_contain_text(str(mine.rank_branch))
    # One masses rating: its mean, the other groups' means and the area breakdown are
    # all withheld, since any of them with the total would reveal that rater's score.
    expect(page.get_by_test_id("areas-withheld")).to_be_visible()
    expect(page.get_by_test_id("withheld-peer")).to_be_visible()
    expect(page.get_by_test_id("withheld-masses")).to_be_visible()
    expect(page.get_by_test_id("score-masses")).to_have_count(0)
    shot(page, "result-mine")

    # The team ranking: member1's group, ranked by the team's own totals.
    click_and_wait(page, page.get_by_test_id("link-team"))
    team = Result.objects.filter(period=period, group=member1.group).count()
    expect(page.get_by_test_id("team-table").locator("tbody tr")).to_have_count(team)
    expect(page.get_by_test_id("team-me")).to_contain_text(member1.name)
    shot(page, "result-team")

    # The flag board: every member of the branch on the roll, each with their flag.
    click_and_wait(page, page.get_by_test_id("link-flagboard"))
    expected = board_flags(period, member1.branch_id)
    tiles = page.get_by_test_id("board-tile")
    expect(tiles).to_have_count(len(expected))
    shown = dict(tiles.evaluate_all("ts => ts.map(t => [t.dataset.member, t.dataset.flag])"))
    assert shown == expected
    assert set(shown.values()) >= {"red", "yellow", "blue", "grey"}
    # A picture of flags: totals stay on the team ranking and the member's own page.
    assert not re.search(r"\d+\.\d\d", page.get_by_test_id("flag-board").inner_text())
    shot(page, "flagboard")

    # The wall screen: no navigation bar, the whole board on one 1080p screen.
    click_and_wait(page, page.get_by_test_id("link-wall"))
    page.set_viewport_size(WALL)
    expect(page.locator(".pb-navbar")).to_have_count(0)
    expect(page.get_by_test_id("board-tile")).to_have_count(len(expected))
    assert page.evaluate("document.documentElement.scrollHeight") <= WALL["height"]
    shot(page, "flagboard-wall", full_page=False)

    # On a phone: the tiles fit the width, nothing scrolls sideways.
    phone = open_as(browser, browser_context_args, login, "member1", **PHONE)
    phone.goto(f"{base}/assessment/results/{period.code}/flags/{member1.branch_id}/")
    expect(phone.get_by_test_id("board-tile")).to_have_count(len(expected))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    shot(phone, "flagboard-phone")
    phone.goto(f"{base}/assessment/results/{period.code}/mine/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    shot(phone, "result-mine-phone")

    # admin: the company view draws its chart from the vendored Chart.js.
    admin.goto(f"{base}/assessment/results/{period.code}/company/")
    expect(admin.locator("#flag-chart")).to_have_attribute("data-chart-ready", "1")
    expect(admin.get_by_test_id("company-row")).to_have_count(1)
    shot(admin, "result-company")
    admin.goto(f"{base}/assessment/results/{period.code}/branches/{member1.branch_id}/")
    shot(admin, "result-branch")


def board_flags(period: Period, branch_id: int) -> dict[str, str]:
    flags = dict(Result.objects.filter(period=period).values_list("member_id", "flag"))
    return {
        str(pk): flags.get(pk, "none")
        for pk in Member.objects.filter(branch_id=branch_id, is_active=True).values_list("pk", flat=True)
    }
