"""The Content-Security-Policy header on every page, and templates that need no exception.

The browser's side (no page the menus lead to breaks the policy) is in
tests/browser/test_content_security_policy.py; the production settings' header in
tests/test_deploy.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = {
    "admin": ["home", "members:list", "study:session_list", "assessment:period_list", "assessment:card_board"],
    "secretary": ["home", "study:review_board", "study:meeting_list", "activities:partyday_list", "study:talk_list"],
    "member": ["home", "study:my_record", "assessment:card_list", "activities:suggestion_mine", "reminders:list"],
}
ADMIN_PAGES = ["/admin/", "/admin/members/member/", "/admin/study/studysession/add/"]


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


def _check(response, where: str) -> None:
    assert response.status_code == 200, where
    policy = _policy(response)
    assert policy["default-src"] == "'self'", where
    assert "'unsafe-inline'" not in policy["script-src"], where
    assert policy["style-src-elem"] == "'self'", where
    assert policy["img-src"] == "'self' data:", where
    assert (policy["frame-ancestors"], policy["form-action"], policy["base-uri"]) == ("'none'", "'self'", "'self'")


@pytest.mark.parametrize("role", list(PAGES))
def test_every_role_gets_the_policy_on_its_pages(org, client_for, role):
    client = client_for(org.admin if role == "admin" else getattr(org, role))
    for name in PAGES[role]:
        _check(client.get(reverse(name)), f"{name} as {role}")


def test_the_django_admin_and_the_login_page_get_it_too(org, client, client_for):
    _check(client.get(reverse("login")), "login")
    admin = client_for(org.admin)
    for path in ADMIN_PAGES:
        _check(admin.get(path), path)


# Markup the policy refuses: an inline <script> (one without src), an inline event handler,
# a <style> element, a javascript: address.
REFUSED = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


def test_no_template_needs_inline_script_or_a_style_element():
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"))
        for pattern, what in REFUSED:
            if pattern.search(text):
                found.append(f"{path.relative_to(settings.BASE_DIR)}: {what}")
    assert not found, "move it to static/js/partybuild.js or a stylesheet:\n  " + "\n  ".join(found)
