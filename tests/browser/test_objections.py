"""The publicity window walked through in a browser: member1 files an objection to their
published result, secretary1 upholds it and corrects the organisation rating, the
administrator finalises the results on the period page, and member1 reads the final
ruling, with nothing of any rater on the way.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Browser, Page, expect

from assessment.models import Objection, Period, RaterGroup, Rating
from assessment.services import periods as period_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory, rate
from members.models import Member
from tests.browser.favicon import block_favicon

REASON = "组织考评中“党员先锋岗”一项未计入本人全年值守记录，请复核。"
RULING = "经支委会复核，值守记录属实，组织考评分予以更正。"


def peers_of(member1: Member) -> list[Member]:
    """member1's peer raters: groupmates other than the secretary (who rules, and is named on
    the pages as the one logged in)."""
    mates = Member.objects.filter(group=member1.group_id, is_active=True).exclude(pk=member1.pk)
    return list(mates.exclude(user__username="secretary1").order_by("pk")[:3])


@pytest.fixture
def window(demo_company) -> Period:
    """A period of member1's branch just published: its publicity window is open. The
    organisation rating of member1 is low, two groupmates gave peer ratings."""
    admin = get_user_model().objects.get(username="admin")
    member1 = Member.objects.get(user__username="member1")
    period = PeriodFactory(code="OBJ2026", name="异议演示考核", state=Period.State.OPEN)
    for m in Member.objects.filter(branch=member1.branch_id, is_active=True):
        rate(period, m, RaterGroup.ORG, 60 if m.pk == member1.pk else 85)
    for peer in peers_of(member1):
        rate(period, member1, RaterGroup.PEER, 80, rater_member=peer)
    period_services.period_close(actor=admin, period_id=period.pk)
    result_services.results_publish(actor=admin, period_id=period.pk)
    period.refresh_from_db()
    return period


def new_page(browser: Browser, browser_context_args: dict) -> Page:
    context = browser.new_context(**browser_context_args)
    return block_favicon(context.new_page())


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_objection_from_filing_to_the_final_ruling(window, browser, browser_context_args, login, live_server, shot):
    base = live_server.url
    period = window
    member1 = Member.objects.get(user__username="member1")
    peer_names = [peer.name for peer in peers_of(member1)]

    # member1 sees the window on their result page and files one objection; the reason is required.
    member = login(new_page(browser, browser_context_args), "member1")
    member.goto(f"{base}/assessment/results/{period.code}/mine/")
    box = member.get_by_test_id("objection-box")
    expect(box.get_by_test_id("publicity-window")).to_contain_text(_site_date(period.publicity_ends_on))
    member.check("#id_confirm")
    click_and_wait(member, member.get_by_test_id("file-objection"))
    expect(member.locator("#id_reason + .invalid-feedback, #id_reason ~ .invalid-feedback").first).to_be_visible()
    member.fill("#id_reason", REASON)
    member.check("#id_confirm")
    click_and_wait(member, member.get_by_test_id("file-objection"))
    expect(member.get_by_test_id("my-objection").get_by_test_id("objection-state")).to_have_attribute(
        "data-state", "open"
    )
    expect(member.get_by_test_id("objection-form")).to_have_count(0)  # one only
    shot(member, "objection-member-filed")
    objection = Objection.objects.get(period=period, member=member1)

    # secretary1 finds it in the branch's list and upholds it, correcting the organisation rating.
    secretary = login(new_page(browser, browser_context_args), "secretary1")
    secretary.goto(f"{base}/assessment/objections/?period={period.code}")
    expect(secretary.get_by_test_id("count-open")).to_have_text("1")
    click_and_wait(secretary, secretary.get_by_test_id("objection-table").get_by_role("link", name=member1.name))
    expect(secretary.get_by_test_id("objection-reason")).to_have_text(REASON)
    body = secretary.locator("main, body").first.inner_text()
    for name in peer_names:
        assert name not in body, f"the ruling page names a rater: {name}"
    secretary.get_by_test_id("decision-upheld").check()
    secretary.fill("#id_ruling", RULING)
    secretary.get_by_test_id("correct-org").check()
    secretary.get_by_test_id("org-items").locator("summary").click()
    for item in period.rubric.items.all():
        secretary.locator(f"input[name={item.code}]").fill(str(item.max_score))
    shot(secretary, "objection-secretary-ruling")
    click_and_wait(secretary, secretary.get_by_test_id("save-ruling"))
    expect(secretary.get_by_test_id("objection-state")).to_have_attribute("data-state", "upheld")
    objection.refresh_from_db()
    assert objection.state == Objection.State.UPHELD and objection.org_corrected
    assert objection.total_after > objection.total_before
    org_rating = Rating.objects.get(period=period, ratee=member1, rater_group=RaterGroup.ORG)
    assert org_rating.total == Decimal(100)

    # The administrator finalises the results early on the period page.
    admin = login(new_page(browser, browser_context_args), "admin")
    admin.goto(f"{base}/assessment/periods/{period.pk}/")
    finalize = admin.get_by_test_id("finalize-form")
    finalize.locator("input[type=checkbox]").check()
    finalize.get_by_test_id("action-finalize").click()
    click_and_wait(admin, admin.get_by_test_id("confirm-ok"))
    period.refresh_from_db()
    assert period.state == Period.State.FINAL

    # member1 reads the final ruling: what changed and the result before and after, no rater.
    member.goto(f"{base}/assessment/results/{period.code}/mine/")
    mine = member.get_by_test_id("my-objection")
    expect(mine.get_by_test_id("objection-state")).to_have_attribute("data-state", "upheld")
    expect(mine.get_by_test_id("ruling-text")).to_have_text(RULING)
    expect(mine.get_by_test_id("change-org")).to_be_visible()
    expect(mine.get_by_test_id("total-before")).to_have_text(str(objection.total_before))
    expect(mine.get_by_test_id("total-after")).to_have_text(str(objection.total_after))
    expect(member.get_by_test_id("result-total")).to_have_text(str(objection.total_after))
    expect(member.get_by_test_id("objection-box").get_by_test_id("publicity-window")).to_be_visible()
    body = member.locator("body").inner_text()
    for name in peer_names:
        assert name not in body, f"the member's page names a rater: {name}"
    shot(member, "objection-member-final")


def _site_date(day) -> str:
    """A day as the pages write it, in the site's language."""
    with translation.override("zh-hans"):
        return date_format(day, "DATE_FORMAT")
