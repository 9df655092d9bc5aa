"""The user guides in a browser: the help link in the navigation, on a desktop and on a phone,
opens the visitor's guide with every screenshot loaded, and the page fits a 390 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def images_loaded(page: Page) -> list[str]:
    """The guide's screenshots the browser could not show (none, when all are served)."""
    page.locator(".pb-help img").last.scroll_into_view_if_needed()
    return page.locator(".pb-help img").evaluate_all(
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_help_link_opens_the_visitors_guide(demo_company, browser, browser_context_args, login, width):
    context = browser.new_context(**browser_context_args, viewport=WIDTHS[width])
    page = login(context.new_page(), "secretary1")
    if width == "phone":
        page.locator(".navbar-toggler").click()
        expect(page.locator("#pb-nav.show")).to_be_visible()  # the menu has finished opening
    with page.expect_navigation():
        page.get_by_test_id("nav-help").click()
    guide = page.get_by_test_id("help-guide-secretary")
    expect(guide).to_contain_text("支部书记使用指南", timeout=15_000)
    expect(guide).to_contain_text("每季度要做的事")
    for img in page.locator(".pb-help img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert images_loaded(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen"

    # The member's guide is one click away, and it is the secretary's too.
    page.locator('[data-testid="help-guides"] a[href$="?guide=member"]').click()
    expect(page.get_by_test_id("help-guide-member")).to_contain_text("党员使用指南")
    context.close()
