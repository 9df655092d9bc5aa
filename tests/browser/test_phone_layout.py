"""Every list and form page fits a phone: 390 x 844 px, as each role sees it.

Each role (administrator, secretary, group leader, member, masses rater) logs in once and
walks every page its home page and menus lead to, following the links of each page it
opens (one page per URL pattern and role: the second member's detail page lays out as the
first one's). On each page:

- the page does not scroll sideways (the document is no wider than the window);
- no element reaches past the window's right edge, unless it sits inside an element that
  scrolls sideways on purpose or clips what sticks out (overflow-x other than visible);
- no table cell, caption or button is narrower than its Chinese text (up to four characters of it):
  no name or button word broken over lines, no long text one or two characters a line.

Pages come from the links, so a new page linked from any menu is walked without being
listed here; a page without parameters is opened directly even before anything links to
it, and a few pages behind a form's button are seeded. Afterwards every URL pattern must
have been opened by some role, or be in LEFT_OUT with the reason (POST-only actions,
downloads, the A4 print form). With PARTYBUILD_SHOTS set, a full-page PNG of each page is
kept (phone-<role>-<url name>.png). The walk takes under a minute on two idle cores.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from members.demo import DEMO_PASSWORD
from tests.browser.favicon import block_favicon
from tests.browser.phone_world import BALLOT_TOKEN, build_world
from tests.scope_sweep_world import walk

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
ROLES = ("admin", "secretary1", "leader1", "member1", "masses1")
# Links never followed: they leave the app's pages or act on a click.
NOT_FOLLOWED = ("/accounts/logout/", "/i18n/", "/admin/", "/static/", "/media/")

# URL patterns no role opens here, each with the reason. Everything else must be opened.
LEFT_OUT = {
    "logout": "logs out (POST only)",
    # Files, not pages.
    "members:export": "downloads the roster workbook",
    "assessment:rating_template_download": "downloads the paper-ballot workbook",
    "assessment:rankings_download": "downloads the rankings workbook",
    "assessment:rankings_zip_download": "downloads a ZIP of one rankings workbook per branch",
    "study:compliance_company_xlsx": "downloads the 三会一课 workbook of every branch",
    "activities:partyday_photo": "an image file, not a page",
    "study:report_docx": "downloads the report as a Word document (the report page's Word button)",
    "study:review_board_docx": "downloads the branch's approved reports of a quarter as one Word document or a ZIP "
    "(the review board's buttons); with none approved it goes back to the board with a message",
    "assessment:card_docx": "downloads the card as a Word document (from the card page's Word button)",
    "study:meeting_docx": "downloads the meeting's minutes as a Word document (the meeting page has the button)",
    # Actions: a form's POST target (the view refuses GET or answers it with a redirect).
    "members:import_confirm": "POST target of the roster import preview",
    "members:login": "POST target on the member page (creates the login)",
    "study:report_submit": "POST action on the report page",
    "study:report_forward": "POST action on the report page",
    "study:report_return": "POST action on the report page",
    "study:report_approve": "POST action on the report page",
    "activities:suggestion_action": "POST actions on the suggestion page",
    "activities:partyday_cancel": "POST action on the Party day page",
    "activities:partyday_contribution_delete": "POST action on the Party day page",
    "activities:partyday_photo_delete": "POST action on the Party day page",
    "activities:post_recognition_withdraw": "POST action on the recognition list",
    "activities:warmth_help_delete": "POST action on the help record",
    "assessment:card_submit": "POST action on the card page",
    "assessment:card_return": "POST action on the card page",
    "assessment:card_approve": "POST action on the card page",
    "assessment:card_task_remove": "POST action on the card page",
    "assessment:card_check_start": "POST action on the card page",
    "assessment:card_check_acknowledge": "POST action on the self-check page",
    "assessment:card_check_return": "POST action on the self-check page",
    "assessment:ballot_issue": "POST action on the ballot list",
    "assessment:ratings_import_confirm": "POST target of the import preview",
    "assessment:period_open": "POST action on the period page",
    "assessment:period_close": "POST action on the period page",
    "assessment:period_compute": "POST action on the period page",
    "assessment:period_finalize": "POST action on the period page",
    "assessment:objection_file": "POST target of the objection form on the member's own result page",
    "activities:partyday_photo_add": "POST target of the photo form on the Party day page",
    "assessment:card_task_add": "POST target of the X-task form on the card page",
    "assessment:card_for_member": "POST action on the card board (opens a card for a member)",
    "assessment:pledge_for_member": "POST action on the pledge board (opens a pledge for a member)",
    "members:masses_deactivate": "POST action on the masses rater page",
    "members:masses_reactivate": "POST action on the masses rater page",
    "reminders:remind_reports": "POST action on the review board (reminds who has not submitted)",
    "reminders:read_all": "POST action on the notification list",
    "reminders:open": "marks a notification read and redirects to its page",
    # Paper.
    "study:report_print": "the report as the A4 paper form, for printing (static/css/print.css lays it out "
    "190 mm wide, as on paper); on a phone the report page itself (study:report_detail) is read",
}

# Measured in the page: the document's width, elements past the right edge outside a
# sideways-scrolling box, and table cells narrower than two of their characters.
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].slice(0, 3).join(".");
    const tid = el.closest("[data-testid]");
    if (tid) s += " in [data-testid=" + tid.dataset.testid + "]";
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 30);
    return text ? s + " \\"" + text + "\\"" : s;
  };
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  // Inside a box shrunk to a pixel that clips (a header row kept for screen readers only).
  const unseen = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const box = p.getBoundingClientRect();
      if ((box.width <= 1 || box.height <= 1) && getComputedStyle(p).overflow !== "visible") return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > width) {
    found.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " px wide");
  }
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.right > width + 0.5 && !clipped(el) && !unseen(el)) {
      found.push(name(el) + " ends at " + Math.round(box.right) + " px");
    }
    if (["TD", "TH", "CAPTION"].includes(el.tagName) || el.classList.contains("btn")) {
      // Squeezed: narrower than its Chinese text, up to four characters of it (a name,
      // a button's word on one line; a long text at least four characters a line).
      const style = getComputedStyle(el);
      const font = parseFloat(style.fontSize);
      const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const han = (el.innerText.match(/[\u3400-\u9fff]/g) || []).length;
      if (han >= 2 && inner < 0.97 * font * Math.min(han, 4) && !unseen(el)) {
        found.push(name(el) + " is squeezed to " + Math.round(inner) + " px");
      }
    }
  }
  return found.slice(0, 8);
}
"""


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a pattern without a name
        return None


def _links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_FOLLOWED):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


class Walk:
    """One role's walk: the pages opened (by URL name) and what was wrong on them."""

    def __init__(self, page: Page, base: str, role: str, shots: Path | None) -> None:
        self.page, self.base, self.role, self.shots = page, base, role, shots
        self.seen: set[str] = set()  # URL names queued or opened
        self.opened: set[str] = set()  # URL names that answered with a page (200)
        self.problems: list[str] = []

    def check(self, url: str, name: str) -> list[str]:
        """Open the page, measure it; return the links on it."""
        try:
            response = self.page.goto(self.base + url)
        except PlaywrightError as exc:
            # A file, or an error status without a body (a POST-only view's 405).
            if "Download is starting" in str(exc) or "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(exc):
                return []
            raise
        if response is None or response.status != 200:
            return []
        final = _url_name(urlsplit(self.page.url).path)
        self.opened.update({name, final} - {None})
        for problem in self.page.evaluate(MEASURE):
            self.problems.append(f"{self.role} {url} ({name}): {problem}")
        if self.shots:
            shot = f"phone-{self.role}-{name.replace(':', '-').strip('/').replace('/', '-') or 'page'}.png"
            self.page.screenshot(path=str(self.shots / shot), full_page=True)
        return _links(self.page)

    def run(self, start: list[str]) -> None:
        queue = list(start)
        self.seen.update(_url_name(urlsplit(u).path) or u for u in start)
        while queue:
            url = queue.pop(0)
            name = _url_name(urlsplit(url).path) or url
            for link in self.check(url, name):
                link_name = _url_name(urlsplit(link).path)
                if link_name and link_name not in self.seen and link_name not in LEFT_OUT:
                    self.seen.add(link_name)
                    queue.append(link)


def test_every_page_fits_a_phone(live_server, demo_company, browser: Browser):
    w = build_world()
    year = w.open.code
    # Pages behind a form's button or a state the walk does not pass through, opened directly.
    seeds = {
        "admin": [
            # The published period's company pages (the open one's have no results yet).
            reverse("assessment:result_company", args=[w.published.code]),
            reverse("assessment:result_company_ranking", args=[w.published.code]),
            reverse("assessment:trends_company"),  # the charts and their tables, one period
            reverse("assessment:period_edit", args=[w.open.pk]),  # their links lead to a published one
            reverse("assessment:period_publish", args=[w.closed.pk]),
            reverse("assessment:period_history", args=[w.published.pk]),  # linked once the history is long
            reverse("assessment:rubric_edit", args=[w.rubric.pk]),
        ],
        "secretary1": [
            reverse("study:session_attendance", args=[w.session.pk]),
            reverse("study:report_edit", args=[w.draft.pk]),
            reverse("activities:partyday_contribution_add", args=[w.party_day.pk]),
            reverse("assessment:card_year", args=[year]),  # no card yet: the page to start one
            reverse("assessment:pledge_year", args=[year]),
            reverse("assessment:trends_branch", args=[w.secretary.branch_id]),
        ],
        "member1": [reverse("activities:partyday_reflection", args=[w.party_day.pk])],
        "masses1": [reverse("assessment:ballot_entry", args=[BALLOT_TOKEN])],
    }
    patterns = list(walk(get_resolver().url_patterns))
    plain = {p.name: _reverse(p.name) for p in patterns if not p.params and p.name not in LEFT_OUT}
    folder = os.environ.get("PARTYBUILD_SHOTS")
    shots = Path(folder) if folder else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    problems: list[str] = []
    opened: set[str] = set()

    for role in ROLES:
        context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = block_favicon(context.new_page())
        walker = Walk(page, live_server.url, role, shots)
        if role == ROLES[0]:  # the login page, before logging in
            walker.check("/accounts/login/", "login")
        _log_in(page, live_server.url, role)
        walker.run(["/", *seeds.get(role, [])])
        # A page no link leads to yet is still measured (the check below names it).
        walker.run([url for name, url in plain.items() if url and name not in walker.seen])
        problems += walker.problems
        opened |= walker.opened
        context.close()

    names = {p.name for p in patterns}
    never = sorted(names - opened - set(LEFT_OUT))
    stale = sorted(set(LEFT_OUT) - names)
    failures = []
    if problems:
        failures.append(f"{len(problems)} layout problems at 390 px:\n" + "\n".join(problems))
    if never:
        failures.append(f"pages no role opened (give them data and a seed, or add them to LEFT_OUT): {never}")
    if stale:
        failures.append(f"LEFT_OUT names no URL pattern: {stale}")
    assert not failures, "\n\n".join(failures)
    print(f"phone layout: {len(opened)} pages in {time.monotonic() - started:.0f} s")
