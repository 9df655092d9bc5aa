"""Text from users is escaped everywhere, and exported as text, never as a formula.

The demo company is built, then every free-text column of every application table
(report sections, problems, return comments, suggestions and their thread, talks,
meetings, Party days and reflections, pioneer posts, recognitions, help records,
contacts, card items and self-check notes, member, branch and group names, ...) is
overwritten with markup. The secretary, a group leader, a member and the administrator
then walk every page reachable by links from their home page: the raw markup must never
appear, and the escaped text must be shown on the pages that display those records.
"""

from __future__ import annotations

import io
import re
from collections import deque

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

from assessment.models import Period
from assessment.services.ballots.sheet import RATINGS_SHEET
from assessment.services.ballots.template_export import rating_template_export
from members.models import Member, User
from members.services import roster_export

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
RAW = (SCRIPT, IMG)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")

APP_LABELS = ("members", "study", "activities", "assessment", "reminders")
# Text columns the code reads as keys or codes, not prose a person wrote.
NOT_PROSE = {
    "employee_no",
    "code",
    "quarter",
    "subject",
    "token",
    "url",
    "content_type",
    "checkpoint",
    "username",
    "password",
    "email",
    "phone",
    "history_change_reason",
    # A rating's rater key and ballot number: set only as the anonymity rules allow (a check constraint).
    "rater_key",
    "ballot_no",
}


def _prose_columns(model) -> list[str]:
    return [
        f.column
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField | models.SlugField)
        and not f.choices
        and f.name not in NOT_PROSE
        and (f.max_length is None or f.max_length >= len(IMG))
    ]


def fill_with_markup() -> int:
    """Overwrite every prose column of every row with markup (and the row's id, so that
    unique names stay unique). Returns the number of columns changed."""
    done = 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in APP_LABELS:
            for model in apps.get_app_config(label).get_models():
                columns = _prose_columns(model)
                if not columns:
                    continue
                pk = quote(model._meta.pk.column)
                sets = ", ".join(f"{quote(c)} = %s || CAST({pk} AS TEXT)" for c in columns)
                params = [SCRIPT + IMG if _long(model, c) else IMG for c in columns]
                cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {sets}", params)  # noqa: S608
                done += len(columns)
    return done


def _long(model, column: str) -> bool:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    return field.max_length is None or field.max_length >= len(SCRIPT + IMG) + 8


SKIP = re.compile(r"^/(static|media|admin|i18n)/|/logout/|\.xlsx$|/print/|/photos/\d+/$")
HREF = re.compile(r'href="(/[^"#?]*)')


PER_VIEW = 4


def crawl(client: Client, limit: int) -> dict[str, str]:
    """The pages reachable from the home page by links (query strings dropped)."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    per_view: dict[str, int] = {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        # A few pages of each kind, so that long lists of one (a year of meetings) do not use
        # up the crawl before the other kinds of page are reached.
        view = url_name(path)
        if per_view.get(view, 0) >= PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        queue.extend(p for p in HREF.findall(html) if p not in seen)
    return seen


def url_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--members", "30", stdout=io.StringIO())
    assert fill_with_markup() > 50
    return {
        "admin": User.objects.get(username="admin"),
        "secretary": User.objects.get(username="secretary1"),
        "leader": User.objects.get(username="leader1"),
        "member": User.objects.get(username="member1"),
    }


# Pages that show what people wrote: each must be reached by someone and show it escaped.
SHOWN_ON = {
    "members:list",
    "members:detail",
    "study:report_detail",
    "study:review_board",
    "study:talk_detail",
    "study:meeting_detail",
    "study:session_detail",
    "activities:suggestion_detail",
    "activities:partyday_detail",
    "activities:post_detail",
    "activities:warmth_member",
    "activities:warmth_help_list",
    "assessment:card_detail",
}


def test_markup_from_users_is_escaped_on_every_page(demo):
    showing: set[str] = set()
    crawled = 0
    for who, user in demo.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for path, html in crawl(client, limit=70).items():
            crawled += 1
            for raw in RAW:
                assert raw not in html, f"{who} sees raw {raw!r} on {path}"
            if any(escaped in html for escaped in ESCAPED):
                showing.add(url_name(path))
    missing = SHOWN_ON - showing
    assert not missing, f"never reached showing the escaped text: {sorted(missing)} (of {crawled} pages)"


# ---------------------------------------------------------------------------
# Exports carry text as text

FORMULA = '=HYPERLINK("http://evil.example/","点我")'


def _cells(content: bytes, sheet: str | None = None):
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.worksheets[0]
    return [cell for row in ws.iter_rows() for cell in row]


def _assert_text(cells, value: str) -> None:
    hits = [c for c in cells if isinstance(c.value, str) and c.value == value]
    assert hits, f"{value!r} is not in the export"
    assert all(c.data_type == "s" for c in hits), [(c.coordinate, c.data_type) for c in hits]


def test_roster_export_writes_a_leading_equals_sign_as_text(org):
    org.member.name = FORMULA[:50]
    org.member.post = FORMULA
    org.member.save()
    content = roster_export(members=Member.objects.all())
    cells = _cells(content)
    _assert_text(cells, FORMULA[:50])
    _assert_text(cells, FORMULA)


def test_rating_template_writes_a_leading_equals_sign_as_text(org):
    from assessment.tests.factories import PeriodFactory

    period = PeriodFactory(code="2026", state=Period.State.OPEN)
    Member.objects.filter(pk=org.member.pk).update(name=FORMULA[:50])
    out = io.BytesIO()
    rating_template_export(actor=org.admin, period_id=period.pk, out=out)
    _assert_text(_cells(out.getvalue(), RATINGS_SHEET), FORMULA[:50])
