"""Odd query values: every page without an id, asked with hostile filter values, never a 5xx.

PostgreSQL refuses what SQLite stores without a word: a NUL byte in a string ("A string
literal cannot contain NUL"), an integer past 64 bits. A filter value that reaches a query
unchecked is a server error there only, so this test must run on PostgreSQL too (CI does).

The pages come from the URL resolver (every GET pattern without a parameter, the Django
admin's included), so a new list page is covered without anyone remembering it. Each is
opened as the administrator, a branch secretary and a member; the parameters it is asked
with are the ones it offers itself (the names in its GET forms and in its own links) plus
``q``, ``page``, ``period``, ``branch`` and ``quarter``. Each parameter alone gets a NUL byte
and an integer past 64 bits; all of them at once get each of the other odd values. A NUL
byte anywhere in the query is refused with 400 and a message in Chinese.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from assessment.models import Period
from assessment.tests.factories import PeriodFactory
from study.models import StudySession
from study.tests.factories import QuarterlyReportFactory, StudySessionFactory
from tests.scope_sweep_world import Pattern, _params

pytestmark = pytest.mark.django_db

ALWAYS = ("q", "page", "period", "branch", "quarter")

# Already percent-encoded, as they would stand in a query string.
NUL = "%00"
PAST_64_BITS = str(2**64)
ODD = [
    "a%00b",
    str(-(2**63) - 1),
    "9" * 40,
    "%ED%A0%80",  # a lone surrogate, as UTF-8 would carry it
    "%FF%FE",  # not UTF-8 at all
    "1e309",
    "NaN",
    "-1",
    "0",
    "2026Q9",
    "0001-01-01",
    "9999-12-31",
    "x" * 3000,
    "%F0%9F%87%A8%F0%9F%87%B3",
    "%27%20OR%201%3D1%20--",
]

# Routes not to crawl: they answer GET with a redirect that changes something, or take
# nothing from the query.
SKIPPED_ROUTES = {"accounts/logout/", "admin/logout/"}

ROLES = ("admin", "secretary", "member")


class _Params(HTMLParser):
    """The parameter names a page offers: its GET forms' fields and its links' queries."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            href = urlsplit(attrs["href"])
            if href.query and (not href.path or href.path == self.path):
                self.names.update(name for name, _value in parse_qsl(href.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def offered_params(path: str, html: str) -> set[str]:
    parser = _Params(path)
    parser.feed(html)
    return {name for name in parser.names if re.fullmatch(r"[\w\-\[\]]+", name)} - {"csrfmiddlewaretoken"}


def _walk(patterns, prefix: str = "", namespace: str | None = None, params=frozenset()):
    # tests/test_scope_sweep.py's walk leaves the admin out; here it is walked too.
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, route, ns, params | _params(p))
        elif isinstance(p, URLPattern):
            yield Pattern(route, f"{namespace}:{p.name}" if namespace else str(p.name), frozenset(params | _params(p)))


def get_pages() -> list[Pattern]:
    """Every pattern without a parameter (the language switch takes POST only)."""
    return [
        p
        for p in _walk(get_resolver().url_patterns)
        if not p.params
        and "(" not in p.route  # a regex route with unnamed groups (the admin's history pages)
        and p.route not in SKIPPED_ROUTES
        and not p.route.startswith(("i18n/", "static/", "media/"))
    ]


def world(org):
    """Something on every list: periods in each state, sessions, reports, a second page."""
    PeriodFactory(code="2026", state=Period.State.OPEN)
    PeriodFactory(code="2025", name="2025年度", state=Period.State.PUBLISHED)
    for i in range(3):
        StudySessionFactory(branch=org.branch_a, title=f"学习{i}")
    QuarterlyReportFactory(member=org.member)


def client_as(org, role: str) -> Client:
    user = {"admin": org.admin, "secretary": org.secretary.user, "member": org.member.user}[role]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _query(params, value: str) -> str:
    return "&".join(f"{quote(name)}={value}" for name in params)


# One test per role: each is a few thousand requests, and apart they spread over the workers.
@pytest.mark.parametrize("role", ROLES)
def test_no_odd_query_value_is_a_server_error(org, capsys, role):
    world(org)
    client = client_as(org, role)
    pages = get_pages()
    failures: list[str] = []
    requests = 0
    for page in pages:
        if page.route.startswith("admin/") and role != "admin":
            continue
        path = "/" + page.route
        plain = client.get(path)
        requests += 1
        if plain.status_code >= 500:
            failures.append(f"{path} as {role}: {plain.status_code} with no query at all")
            continue
        # A download (a streamed workbook) offers no query of its own to read from the page.
        page_html = plain.status_code == 200 and not plain.streaming
        html = plain.content.decode(errors="replace") if page_html else ""
        params = sorted(offered_params(path, html) | set(ALWAYS))
        asks = [_query([name], value) for name in params for value in (NUL, PAST_64_BITS)]
        asks += [_query(params, value) for value in ODD]
        asks.append(f"{NUL}=1")  # a NUL byte in a name
        for query in asks:
            response = client.get(f"{path}?{query}")
            requests += 1
            if response.status_code >= 500:
                failures.append(f"{path}?{query[:120]} as {role}: {response.status_code}")
            elif "%00" in query and response.status_code != 400:
                failures.append(f"{path}?{query[:120]} as {role}: {response.status_code}, not 400")
    with capsys.disabled():
        print(f"\nodd query values: {len(pages)} pages as {role}, {requests} requests")
    assert not failures, f"{len(failures)} odd queries answered badly:\n  " + "\n  ".join(failures)


# ---------------------------------------------------------------------------
# A NUL byte elsewhere in the request: the path, a form, a cookie


def _refused_with(response, message: str) -> None:
    assert response.status_code == 400
    assert translation.gettext(message) in response.content.decode()


def test_a_nul_byte_in_the_path_is_refused(org, client_for):
    client = client_for(org.member)
    for path in ("/study/reports/mine/2026Q1%00/", "/assessment/results/2026%00/mine/"):
        _refused_with(client.get(path), "The address contains a character that is not allowed.")


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_saved(org, client_for):
    client = client_for(org.secretary)
    response = client.post(reverse("members:list"), {"q": "党员\x00", "name\x00": "x"})
    _refused_with(response, "The form contains a character that is not allowed.")
    response = client.post(reverse("study:session_create"), {"title": "学习\x00", "kind": "assembly"})
    _refused_with(response, "The form contains a character that is not allowed.")
    assert not StudySession.objects.exists()


def test_a_nul_byte_in_the_session_cookie_is_refused(org):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    response = client.get(reverse("home"))
    assert response.status_code == 400


def test_a_number_past_64_bits_in_the_address_is_refused_and_one_within_is_not(org, client_for):
    client = client_for(org.admin)
    _refused_with(client.get(reverse("members:list"), {"branch": str(2**63)}), "A number in the address is too large.")
    assert client.get(reverse("members:list"), {"branch": str(2**63 - 1)}).status_code == 200
    assert client.get(reverse("members:list"), {"q": "9" * 5000}).status_code == 400


def test_a_filter_the_admin_export_cannot_resolve_is_refused(org, client_for):
    response = client_for(org.admin).get("/admin/members/member/export/?quarter=2026Q1")
    _refused_with(response, "The list cannot be filtered that way.")
