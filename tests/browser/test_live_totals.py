"""Running totals as they are typed: the rubric editor's maxima (and each area's
subtotal) and the rating form's 合计 count only values the form will accept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.demo import ratings as assessment_demo
from assessment.models import Period
from assessment.services.periods import rubric_copy, rubric_default
from members.models import User
from tests.browser.favicon import block_favicon


def new_page(browser: Browser, browser_context_args: dict) -> Page:
    context = browser.new_context(**browser_context_args)
    return block_favicon(context.new_page())


@pytest.fixture
def company(demo_company):
    assessment_demo.build(seed=1)
    return demo_company


def test_rubric_editor_totals_follow_the_typing(company, browser, browser_context_args, login, live_server, shot):
    admin = User.objects.get(username="admin")
    draft = rubric_copy(actor=admin, rubric_id=rubric_default().pk, name="2027细则")
    area = draft.areas.get(code="A")
    page = login(new_page(browser, browser_context_args), "admin")
    page.goto(f"{live_server.url}/assessment/rubrics/{draft.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("rubric-edit").click()
    total = page.locator("[data-rubric-total]")
    subtotal = page.locator("[data-area]").first.locator("[data-area-total]")
    expect(total).to_have_text("100.0")
    first = page.locator(f"#id_items-{area.pk}-0-max_score")

    first.fill("6")
    expect(total).to_have_text("101.0")
    expect(subtotal).to_have_text("16.0")
    expect(page.locator("[data-rubric-status]")).to_have_class("small text-danger")

    # A value the form refuses (not on a half step) is not counted, and is marked at once.
    first.fill("5.3")
    expect(total).to_have_text("95.0")
    expect(first).to_have_class("numberinput form-control is-invalid")

    # Removing an item takes it out of the total; adding one brings its maximum in.
    first.fill("5")
    page.locator(f"#id_items-{area.pk}-2-DELETE").check()
    expect(total).to_have_text("95.0")
    page.locator("[data-area]").first.get_by_test_id("item-add").click()
    page.locator(f"#id_items-{area.pk}-3-code").fill("A4")
    page.locator(f"#id_items-{area.pk}-3-name").fill("新增一项")
    page.locator(f"#id_items-{area.pk}-3-max_score").fill("5")
    expect(total).to_have_text("100.0")
    expect(page.locator("[data-rubric-status]")).to_have_class("small text-success")
    shot(page, "rubric-editor")
    with page.expect_navigation():
        page.get_by_test_id("rubric-save").click()
    assert draft.items.filter(code="A4", max_score=5).exists() and not draft.items.filter(code="A3").exists()


def test_rating_total_ignores_values_the_form_refuses(company, browser, browser_context_args, login, live_server):
    period = Period.objects.get(state=Period.State.OPEN)
    items = list(period.rubric.items.order_by("position")[:2])
    page = login(new_page(browser, browser_context_args), "member1")
    page.goto(f"{live_server.url}/assessment/rate/")
    with page.expect_navigation():
        page.get_by_test_id("rate-self").get_by_role("link").click()
    total = page.locator("#pb-total")
    page.locator(f"input[name={items[0].code}]").fill("4")
    expect(total).to_have_text("4.0 …")
    # Above the item's maximum, or off the half steps: refused by the form, so not counted.
    page.locator(f"input[name={items[1].code}]").fill(str(items[1].max_score + 1))
    expect(total).to_have_text("4.0 …")
    page.locator(f"input[name={items[1].code}]").fill("2.2")
    expect(total).to_have_text("4.0 …")
    page.locator(f"input[name={items[1].code}]").fill("2.5")
    expect(total).to_have_text("6.5 …")
