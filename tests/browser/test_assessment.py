"""The year-end evaluation walked through in a browser: member1 rates themself and a
peer, a masses rater rates member1 through a one-time link (no login), secretary1
gives the organisation's rating, the administrator closes the period, computes and
publishes, member1 sees their flag, and secretary1 records the follow-up talk.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import override
from playwright.sync_api import Browser, Page, expect

from assessment.demo import ratings as assessment_demo
from assessment.models import MassesBallot, Period, Rating, Result
from assessment.tests.factories import given_by
from members.models import Member
from study.models import Talk
from tests.browser.favicon import block_favicon


@pytest.fixture
def company(demo_company):
    assessment_demo.build(seed=1)
    return demo_company


def new_page(browser: Browser, browser_context_args: dict) -> Page:
    context = browser.new_context(**browser_context_args)
    return block_favicon(context.new_page())


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def fill_rating(page: Page, period: Period, share: Decimal) -> None:
    """Every item at ``share`` of its maximum, in half steps."""
    for item in period.rubric.items.all():
        value = (item.max_score * share * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
        page.locator(f"input[name={item.code}]").fill(str(value))
    click_and_wait(page, page.get_by_test_id("save-rating"))


def test_year_end_evaluation_from_rating_to_talk(company, browser, browser_context_args, login, live_server, shot):
    base = live_server.url
    period = Period.objects.get(state=Period.State.OPEN)  # this year's (last year's is published)
    member1 = Member.objects.get(user__username="member1")

    # member1 rates themself and one peer.
    member = login(new_page(browser, browser_context_args), "member1")
    member.goto(f"{base}/assessment/rate/")
    click_and_wait(member, member.get_by_test_id("rate-self").get_by_role("link"))
    # A score above an item's maximum is refused with the item named, and nothing is saved.
    first_item = period.rubric.items.order_by("position").first()
    member.locator(f"input[name={first_item.code}]").fill(str(first_item.max_score + 1))
    click_and_wait(member, member.get_by_test_id("save-rating"))
    expect(member.get_by_test_id("form-errors")).to_be_visible()
    expect(member.locator(f"#id_{first_item.code} ~ .invalid-feedback")).to_contain_text(first_item.code)
    fill_rating(member, period, Decimal("0.85"))
    peer_link = member.get_by_test_id("rate-peers").get_by_role("link").first
    click_and_wait(member, peer_link)
    shot(member, "rating-form")
    fill_rating(member, period, Decimal("0.9"))
    assert Rating.objects.filter(period=period, ratee=member1, rater_group="self").exists()
    assert given_by(period, "peer", member1).count() == 1

    # secretary1 issues masses1's one-time link; masses1 rates member1 through it, without logging in.
    secretary = login(new_page(browser, browser_context_args), "secretary1")
    secretary.goto(f"{base}/assessment/ballots/")
    click_and_wait(secretary, secretary.get_by_test_id("issue-all"))
    ballot = MassesBallot.objects.get(period=period, rater__user__username="masses1")
    secretary.goto(f"{base}/assessment/ballots/{period.code}/print/")
    expect(secretary.get_by_test_id("slip").first.locator("svg")).to_be_visible()
    shot(secretary, "ballot-slips")
    rater = new_page(browser, browser_context_args)
    rater.goto(f"{base}/assessment/r/{ballot.token}/")
    click_and_wait(rater, rater.get_by_test_id("ballot-tasks").get_by_role("link", name=member1.name))
    fill_rating(rater, period, Decimal("0.85"))
    assert Rating.objects.filter(period=period, ratee=member1, rater_group="masses", source="link").exists()

    # secretary1 gives the organisation's rating of member1.
    secretary.goto(f"{base}/assessment/rate/?org=todo")
    click_and_wait(secretary, secretary.get_by_test_id(f"org-{member1.employee_no}"))
    fill_rating(secretary, period, Decimal("0.8"))

    # The administrator closes rating, computes and publishes.
    admin = login(new_page(browser, browser_context_args), "admin")
    admin.goto(f"{base}/assessment/periods/{period.pk}/")
    admin.get_by_test_id("action-close").click()  # closing says what it ends, and asks
    click_and_wait(admin, admin.get_by_test_id("confirm-ok"))
    click_and_wait(admin, admin.get_by_test_id("action-compute"))
    click_and_wait(admin, admin.get_by_test_id("action-publish"))
    click_and_wait(admin, admin.get_by_test_id("publish-submit"))
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    # Closing sealed the anonymous ratings: no key, no author, nobody to tie them to.
    assert not Rating.objects.filter(period=period, rater_key__isnull=False).exists()
    result = Result.objects.get(period=period, member=member1)
    assert result.flag in {"yellow", "blue", "grey"}, result.total

    # member1 sees their flag.
    member.goto(f"{base}/assessment/results/")
    click_and_wait(member, member.get_by_test_id(f"result-period-{period.code}").get_by_test_id("link-mine"))
    expect(member.get_by_test_id("result-flag")).to_have_attribute("data-flag", result.flag)
    expect(member.get_by_test_id("result-total")).to_have_text(str(result.total))
    shot(member, "my-result")

    # Publishing opened a talk with member1; secretary1 records it.
    talk = Talk.objects.get(member=member1, subject=f"assessment:{period.code}")
    secretary.goto(f"{base}/study/talks/")
    # The list says what the talk follows up: member1's flag and total.
    row = secretary.get_by_test_id("talk-list").locator(f"a[href^='/study/talks/{talk.pk}/?']")
    expect(row.get_by_test_id("talk-outcome")).to_contain_text(str(result.total))
    click_and_wait(secretary, secretary.get_by_test_id("talk-list").locator(f"a[href^='/study/talks/{talk.pk}/?']"))
    secretary.locator("#id_talked_by").fill("支部书记")
    secretary.locator("#id_problems").fill("联系群众不够经常，带头作用发挥不够。")
    secretary.locator("#id_response").fill("接受组织意见，认真整改。")
    secretary.locator("#id_plan").fill("每月与联系点员工谈心两次，下季度牵头一项技术攻关。")
    click_and_wait(secretary, secretary.get_by_test_id("talk-save"))
    shot(secretary, "talk-recorded")
    talk.refresh_from_db()
    assert talk.status == Talk.Status.RECORDED
    with override("zh-hans"):
        recorded = str(Talk.Status.RECORDED.label)
    expect(secretary.get_by_test_id("talk-status")).to_have_text(recorded)
