"""Malformed workbooks into every import: the roster (web upload and ``import_roster``) and
the paper ballots (web upload and ``import_ratings``).

Whatever the file, the answer is a report naming the row and column or the file's problem,
never a server error or a traceback, and nothing is written.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from assessment.models import Period
from assessment.services.ballots.sheet import (
    COL_GROUP,
    COL_RATEE,
    COL_RATER,
    KEY_COLUMNS,
    LEGACY_COLUMNS,
    RATINGS_SHEET,
)
from assessment.tests.factories import PeriodFactory
from members.resources import COLUMNS
from members.tests.xlsx import HEADERS, roster_row
from tests.fuzz_posting import snapshot

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------
# Building workbooks


def save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet(headers: list | None, rows: list[list], *, title: str, first: str | None = None, edit=None) -> bytes:
    book = Workbook()
    ws = book.active
    if first is not None:  # another sheet comes first
        ws.title = first
        ws.append(["说明：请在下一张表中填写"])
        ws = book.create_sheet(title)
    else:
        ws.title = title
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    if edit:
        edit(ws)
    return save(book)


def random_bytes() -> bytes:
    return random.Random(8).randbytes(4096)


def csv_renamed() -> bytes:
    return "工号,姓名,性别\nT1,张三,男\n".encode()


def zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def truncated_xlsx(content: bytes) -> bytes:
    return content[: len(content) // 2]


# ---------------------------------------------------------------------------
# The two imports, each as a web upload and as a command


@dataclass
class Importer:
    name: str
    headers: list[str]
    title: str  # the sheet it reads

    def row(self, org, **changes) -> list:
        raise NotImplementedError


class Roster(Importer):
    def row(self, org, **changes) -> list:
        values = roster_row(**{"工号": "N0001", "党支部": org.branch_a.name, "党小组": org.group_a1.name})
        values.update(changes)
        return [values.get(h, "") for h in self.headers]


class Ratings(Importer):
    def row(self, org, **changes) -> list:
        period = Period.objects.get(code="2026")
        # A self rating: good but for what each test breaks (a peer row would need a
        # ballot number and a branch rating on paper).
        values = {COL_RATEE: org.member.employee_no, COL_GROUP: "个人自评", COL_RATER: org.member.employee_no}
        values |= {item.code: 1 for item in period.rubric.items.all()}
        # Changes by the older English names (rater_group="boss") or by the headers.
        values.update({LEGACY_COLUMNS.get(name, name): value for name, value in changes.items()})
        return [values.get(h) for h in self.headers]


ROSTER = Roster("roster", HEADERS, "花名册")


def ratings_importer() -> Ratings:
    period = PeriodFactory(code="2026", state=Period.State.OPEN)
    codes = list(period.rubric.items.order_by("position").values_list("code", flat=True))
    return Ratings("ratings", [*KEY_COLUMNS, *codes], RATINGS_SHEET)


@pytest.fixture(params=["roster", "ratings"])
def importer(request, org) -> Importer:
    return ROSTER if request.param == "roster" else ratings_importer()


@pytest.fixture
def admin(org) -> Client:
    """The administrator's client, logged in before anything is fingerprinted."""
    client = Client(raise_request_exception=False)
    client.force_login(org.admin)
    return client


def upload(client: Client, importer: Importer, content: bytes, filename: str = "upload.xlsx"):
    """Post the file to the import page as the administrator."""
    url = (
        reverse("members:import") if importer.name == "roster" else reverse("assessment:ratings_import", args=["2026"])
    )
    response = client.post(url, {"file": SimpleUploadedFile(filename, content)})
    return response


def command(importer: Importer, content: bytes, tmp_path) -> str:
    """Run the import command on the file; the CommandError's message and stderr."""
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    err = io.StringIO()
    args = (
        ["import_roster", str(path)] if importer.name == "roster" else ["import_ratings", "--period", "2026", str(path)]
    )
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return f"{refused.value}\n{err.getvalue()}"


def report_errors(response) -> list:
    report = response.context["report"] if response.context and "report" in response.context else None
    return list(report.errors) if report is not None else []


def assert_refused(admin, importer, content, tmp_path, *, row: int | None, column: str | None, text: str = ""):
    """The web upload and the command both refuse the file, naming ``row`` and ``column``
    (None: a problem of the whole file), with ``text`` in the message; nothing is written."""
    before = snapshot()
    response = upload(admin, importer, content)
    assert response.status_code == 200, response.status_code
    errors = report_errors(response)
    form = response.context.get("form")
    if not errors:  # refused by the upload form itself
        messages = [m for ms in form.errors.values() for m in ms]
        assert messages and all(text in m for m in messages), messages
    else:
        if row is not None:
            assert any(e.row == row and e.column == (column or "") for e in errors), errors
        assert any(text in e.message for e in errors), errors
        html = response.content.decode()
        assert all(escape(e.message) in html for e in errors[:20]), "the preview does not show the errors"
    assert snapshot() == before
    out = command(importer, content, tmp_path)
    assert "Traceback" not in out
    if row is not None:
        assert f"第 {row} 行" in out or f"row {row}" in out, out[:500]
        if column:
            assert f"[{column}]" in out, out[:500]
    assert text in out, out[:500]
    assert snapshot() == before


# ---------------------------------------------------------------------------
# Not a workbook at all

NOT_WORKBOOKS: dict[str, Callable[[], bytes]] = {
    "random bytes": random_bytes,
    "a CSV renamed .xlsx": csv_renamed,
    "an empty file": lambda: b"",
    "a zip that is not a workbook": zip_not_xlsx,
    "a workbook cut in half": lambda: truncated_xlsx(sheet(HEADERS, [], title="花名册")),
}


@pytest.mark.parametrize("what", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_is_refused_as_such(org, admin, importer, tmp_path, what):
    content = NOT_WORKBOOKS[what]()
    before = snapshot()
    response = upload(admin, importer, content)
    assert response.status_code == 200
    shown = report_errors(response) or response.context["form"].errors.get("file")
    assert shown, "no reason given"
    assert "Excel" in response.content.decode() or "空" in response.content.decode()
    out = command(importer, content, tmp_path)
    assert "Traceback" not in out and "Excel" in out, out
    assert snapshot() == before


# ---------------------------------------------------------------------------
# Workbooks with the wrong shape


def test_the_ratings_sheet_under_another_name_is_refused_naming_the_sheet(org, admin, tmp_path):
    importer = ratings_importer()
    content = sheet(importer.headers, [importer.row(org)], title="Sheet1")
    assert_refused(admin, importer, content, tmp_path, row=None, column=None, text=RATINGS_SHEET)


def test_a_roster_behind_an_instructions_sheet_is_refused_naming_the_columns(org, admin, tmp_path):
    content = sheet(HEADERS, [ROSTER.row(org)], title="花名册", first="说明")
    assert_refused(admin, ROSTER, content, tmp_path, row=1, column=None, text=COLUMNS["employee_no"])


def test_a_sheet_without_its_header_row_is_refused_naming_the_columns(org, admin, importer, tmp_path):
    """The first data row is taken for headers: the columns are missing, or (the scores
    being all the same) the headers repeat; either way the file is refused as a whole."""
    content = sheet(None, [importer.row(org), importer.row(org)], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=None, column=None)


def test_repeated_headers_are_refused_naming_them(org, admin, importer, tmp_path):
    headers = [*importer.headers, importer.headers[1]]
    content = sheet(headers, [[*importer.row(org), "x"]], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=None, column=None, text=importer.headers[1])


def test_an_empty_sheet_is_refused(org, admin, importer, tmp_path):
    content = sheet(None, [], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=None, column=None)


# ---------------------------------------------------------------------------
# Bad cells


def test_merged_key_cells_leave_the_second_row_without_its_key(org, admin, importer, tmp_path):
    key = importer.headers[0]
    second = importer.row(org, **{key: "N0002"} if importer.name == "roster" else {})

    def merge(ws):
        ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)

    content = sheet(importer.headers, [importer.row(org), second], title=importer.title, edit=merge)
    assert_refused(admin, importer, content, tmp_path, row=3, column=key)


@pytest.mark.parametrize("formula", ["=1+1", '=HYPERLINK("http://example.com","点我")'])
def test_a_formula_is_not_taken_as_the_value(org, admin, importer, tmp_path, formula):
    """openpyxl keeps no cached result, so the cell reads as empty: the row is refused on
    that cell rather than storing the formula's text."""
    column = "姓名" if importer.name == "roster" else importer.headers[len(KEY_COLUMNS)]
    content = sheet(importer.headers, [importer.row(org, **{column: formula})], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=2, column=column)


def test_a_huge_cell_is_refused_on_its_column(org, admin, importer, tmp_path):
    column = "姓名" if importer.name == "roster" else importer.headers[len(KEY_COLUMNS)]
    content = sheet(importer.headers, [importer.row(org, **{column: "党" * 32_000})], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=2, column=column)


@pytest.mark.parametrize("value", ["昨天", "2015-13-45", "31/31/2015", "二〇一五年七月一日", "0"])
def test_a_date_written_as_odd_text_is_refused_on_its_column(org, admin, tmp_path, value):
    content = sheet(HEADERS, [ROSTER.row(org, **{"入党日期": value})], title="花名册")
    assert_refused(admin, ROSTER, content, tmp_path, row=2, column="入党日期")


@pytest.mark.parametrize("value", ["-1", "1e309", "NaN", "0.25", "=1/0", "<script>"])
def test_a_bad_score_is_refused_on_its_item(org, admin, tmp_path, value):
    importer = ratings_importer()
    column = importer.headers[len(KEY_COLUMNS)]
    content = sheet(importer.headers, [importer.row(org, **{column: value})], title=importer.title)
    assert_refused(admin, importer, content, tmp_path, row=2, column=column)


def test_fifty_thousand_rows_with_one_bad_are_refused_whole(org, admin, tmp_path):
    """A big paper-ballot file, streamed by a write-only workbook: 49,999 rows left blank
    (not rated) and a bad last row. The upload and the command both report that row;
    nothing is written."""
    importer = ratings_importer()
    book = Workbook(write_only=True)
    ws = book.create_sheet(RATINGS_SHEET)
    ws.append(importer.headers)
    blank = importer.row(org, **dict.fromkeys(importer.headers[len(KEY_COLUMNS) :]))
    for _ in range(49_999):
        ws.append(blank)
    ws.append(importer.row(org, rater_group="boss"))
    content = save(book)
    assert_refused(admin, importer, content, tmp_path, row=50_001, column=COL_GROUP)
