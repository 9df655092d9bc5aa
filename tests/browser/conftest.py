"""Browser-test harness: headless Debian Chromium driven by Playwright against live_server.

Every test in this folder is marked ``browser`` and skipped when /usr/bin/chromium is
missing (Playwright cannot download its own browser on an intranet machine). Each test
gets its own demo company, built into the live server's database, and logs in through
the real login form: django-axes sits in front of authentication, so ``client.login()``
cannot be used.

Set ``PARTYBUILD_SHOTS=/some/folder`` to keep PNG screenshots of the pages the tests
pass through (the ``shot`` fixture); without it no screenshot is taken.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserType, Page, Playwright, expect, sync_playwright

from members import demo
from members.demo import DEMO_PASSWORD, DemoSummary
from tests.browser.favicon import block_favicon

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: touch only the ones in this folder.
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}, which is not installed")
    for item in items:
        if HERE not in item.path.resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# pytest-playwright keeps Playwright, and so Chromium, for the whole session. Here they
# live for one test module. While Playwright's sync API is started, its event loop counts
# as running in the main thread, and Django's async-safety check refuses every ORM call
# made there (the tests' own and the database teardown) unless DJANGO_ALLOW_ASYNC_UNSAFE
# is set. Set for the whole session, the variable would reach the other tests of the same
# xdist worker and the subprocesses they start (`check --deploy` rejects it); so it is set
# only while Playwright runs, and Playwright stops before the worker moves on.


@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts) -> Iterator[Playwright]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        pw = sync_playwright().start()
        if _pw_api_request_contexts:  # --tracing
            _pw_api_request_contexts.instrument(pw)
        yield pw
        pw.stop()


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args: dict, browser_type: BrowserType) -> Callable[..., Browser]:
    def launch(**kwargs) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def browser_context_args(
    pytestconfig: pytest.Config, playwright: Playwright, device, base_url, _pw_artifacts_folder
) -> dict:
    args: dict = {}
    if device:
        args.update(playwright.devices[device])
    if base_url:
        args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ("on", "retain-on-failure"):
        args["record_video_dir"] = _pw_artifacts_folder.name
    # A browser as set up in the enterprise: Chinese, Beijing time.
    return {**args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _no_favicon_requests(request: pytest.FixtureRequest) -> None:
    """Answer the browser's own favicon requests without the server, on every page the
    ``context`` fixture opens.

    With SQLite the live server's request threads share the test's in-memory
    connection; a stray favicon request rendering the 404 page while the next page
    is being served is one concurrent database user too many. Blocked in the browser
    (tests/browser/favicon.py), not with a route, which would turn the HTTP cache off.
    """
    if "context" not in request.fixturenames:
        return
    context = request.getfixturevalue("context")
    new_page = context.new_page

    def new_page_without_favicon(**kwargs) -> Page:
        return block_favicon(new_page(**kwargs))

    context.new_page = new_page_without_favicon


@pytest.fixture
def build_demo(live_server) -> Callable[..., DemoSummary]:
    """Build the deterministic demo company into the live server's database."""

    def build(*, members: int = 30, seed: int = 1) -> DemoSummary:
        return demo.build(members=members, seed=seed)

    return build


@pytest.fixture
def demo_company(build_demo) -> DemoSummary:
    """The 30-member demo company (three branches of ten; logins as in the README)."""
    return build_demo()


@pytest.fixture
def login(live_server) -> Callable[[Page, str], Page]:
    """Log in through the real form at /accounts/login/ and wait for the home page.

    Use a context that is not logged in yet: the login page sends a logged-in user home.
    """

    def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("form:has(#id_password) button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    return log_in


@pytest.fixture
def shot() -> Callable[[Page, str], None]:
    """Save a PNG of the page under $PARTYBUILD_SHOTS, when that is set."""
    folder = os.environ.get("PARTYBUILD_SHOTS")

    def take(page: Page, name: str, *, full_page: bool = True) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)

    return take
