"""Keep the browser's own favicon requests off the live server, without turning its cache off.

``context.route`` or ``page.route`` would do it too, but Playwright turns the HTTP cache off
for a context or page with a route: every page would then fetch Bootstrap, its icon font and
the scripts from the live server again, and Chromium parse them again (half of the
phone-layout walk's time went there). Chromium's DevTools protocol blocks the URLs instead,
and the cache stays on.
"""

from __future__ import annotations

from playwright.sync_api import Page

FAVICONS = ["*/favicon.ico", "*/favicon.svg"]


def block_favicon(page: Page) -> Page:
    """Refuse the page's favicon requests in the browser itself; return the page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setBlockedURLs", {"urls": FAVICONS})
    return page
