"""The rankings at a million members: a sheet past Excel's rows goes on in parts, and the
administrator may take one workbook per branch inside a ZIP instead.

Excel's limit (1,048,576 rows a sheet) is set small here, five rows with the header, so a
few dozen members fill several parts."""

import datetime
import io
import zipfile
from collections import Counter
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessment.models import Period, Result
from assessment.services import rankings_export as export_module
from assessment.services.rankings_export import rankings_export, rankings_zip_export
from assessment.services.results import results_compute
from assessment.tests.excel_helpers import rankings_book
from assessment.tests.factories import PeriodFactory, closed, rate
from members.tests.factories import BranchFactory, MemberFactory

pytestmark = pytest.mark.django_db

LIMIT = 5  # rows a sheet, the header row included: four members a part
COMPARED = ["Total (2025)", "Rank in branch (2025)", "Rank in company (2025)", "Flag (2025)"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def limit(monkeypatch):
    monkeypatch.setattr(export_module, "MAX_SHEET_ROWS", LIMIT)
    return LIMIT


@pytest.fixture
def period(db):
    return PeriodFactory()


def computed(org, period, members) -> Period:
    for i, member in enumerate(members):
        rate(period, member, "org", 60 + i % 35)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    return period


def everyone(org) -> list:
    return [org.secretary, org.leader, org.member, org.groupmate, org.committee, org.member_a2, org.other_secretary]


@pytest.fixture
def many(org, period):
    """27 members with results: 16 in branch A (four full parts), 11 in branch B (the last part short)."""
    extra = [MemberFactory(branch=org.branch_a if i % 2 else org.branch_b, group=None) for i in range(20)]
    return computed(org, period, everyone(org) + extra)


def export(period, **kwargs) -> bytes:
    buffer = io.BytesIO()
    rankings_export(period=period, out=buffer, **kwargs)
    return buffer.getvalue()


def parts(book, name: str) -> list:
    """The sheets of ``name`` in order: the sheet itself, then "name (2)", "name (3)"…"""
    sheets = [book[name]]
    while f"{name} ({len(sheets) + 1})" in book.sheetnames:
        sheets.append(book[f"{name} ({len(sheets) + 1})"])
    return sheets


def numbers(ws) -> list[str]:
    return [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]


def headers(ws) -> list:
    return [c.value for c in ws[1]]


def assert_parts_like_the_first(sheets) -> None:
    """Every part has the first's header row, widths, frozen panes and filter, and no more rows than fit."""
    first = sheets[0]
    for ws in sheets:
        assert headers(ws) == headers(first), ws.title
        assert ws.freeze_panes == "E2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
        assert ws.column_dimensions["A"].width == first.column_dimensions["A"].width
        assert 2 <= ws.max_row <= LIMIT, ws.title


# ---------------------------------------------------------------------------
# One workbook: sheets in parts


def test_a_sheet_past_the_row_limit_goes_on_in_parts_each_with_the_header(org, many, limit):
    book = rankings_book(export(many))
    results = {r.member.employee_no: r for r in Result.objects.filter(period=many).select_related("member")}
    assert len(results) == 27

    company = parts(book, "Company-wide")
    by_branch = parts(book, "By branch")
    # 27 members, four a part: seven parts each, one sheet after the other.
    assert len(company) == len(by_branch) == 7
    assert book.sheetnames == [ws.title for ws in company + by_branch]
    for sheets in (company, by_branch):
        assert_parts_like_the_first(sheets)
        written = [n for ws in sheets for n in numbers(ws)]
        # Every member once, nobody twice, nothing else.
        assert Counter(written) == Counter(results.keys())
        assert [len(numbers(ws)) for ws in sheets] == [4, 4, 4, 4, 4, 4, 3]
    # The order runs on from one part to the next.
    company_order = [n for ws in company for n in numbers(ws)]
    assert company_order == sorted(results, key=lambda n: (results[n].rank_company, n))
    branch_order = [n for ws in by_branch for n in numbers(ws)]
    assert branch_order[:16] == sorted(
        (n for n in results if results[n].branch_id == org.branch_a.pk), key=lambda n: (results[n].rank_branch, n)
    )


def test_a_sheet_that_fills_its_last_part_exactly_gets_no_empty_part(org, period, limit):
    computed(org, period, everyone(org) + [MemberFactory(branch=org.branch_b, group=None)])  # 8 = 2 × 4
    book = rankings_book(export(period))
    assert book.sheetnames == ["Company-wide", "Company-wide (2)", "By branch", "By branch (2)"]
    assert all(len(numbers(ws)) == 4 for ws in book.worksheets)


def test_a_workbook_within_the_limit_is_one_sheet_each_as_before(org, period, limit):
    computed(org, period, everyone(org)[:4])  # four members: exactly one part
    book = rankings_book(export(period))
    assert book.sheetnames == ["Company-wide", "By branch"]
    assert [len(numbers(ws)) for ws in book.worksheets] == [4, 4]


def test_excels_own_limit_keeps_a_large_company_on_one_sheet(org, many):
    assert export_module.MAX_SHEET_ROWS == 1_048_576
    assert rankings_book(export(many)).sheetnames == ["Company-wide", "By branch"]


def test_one_branchs_sheet_goes_on_in_parts_named_after_the_branch(org, many, limit):
    long_name = BranchFactory(name="第三党支部/机关[综合]:" + "很" * 40)
    computed(org, many, [MemberFactory(branch=long_name, group=None) for _ in range(6)])
    book = rankings_book(export(many, branch_id=org.branch_b.pk))
    assert book.sheetnames == [org.branch_b.name, f"{org.branch_b.name} (2)", f"{org.branch_b.name} (3)"]
    assert Counter(n for ws in book.worksheets for n in numbers(ws)) == Counter(
        Result.objects.filter(period=many, branch=org.branch_b).values_list("member__employee_no", flat=True)
    )
    first, second = rankings_book(export(many, branch_id=long_name.pk)).sheetnames
    # Excel's sheet-name rules hold for a part too: 31 characters, none of []:*?/\, the number kept.
    assert len(first) <= 31 and len(second) <= 31 and second.endswith(" (2)")
    assert not set(first + second) & set("[]:*?/\\") and second.startswith(first[:20])


# ---------------------------------------------------------------------------
# One workbook per branch, inside a ZIP


def zip_books(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: rankings_book(archive.read(name)) for name in archive.namelist()}


def export_zip(period, **kwargs) -> bytes:
    buffer = io.BytesIO()
    rankings_zip_export(period=period, out=buffer, **kwargs)
    return buffer.getvalue()


def branch_numbers(period, branch) -> Counter:
    return Counter(Result.objects.filter(period=period, branch=branch).values_list("member__employee_no", flat=True))


@pytest.mark.parametrize("in_memory_rows", [export_module.IN_MEMORY_ROWS, 3], ids=["built in memory", "streamed"])
def test_the_zip_holds_one_workbook_per_branch_with_its_members_only(org, many, monkeypatch, in_memory_rows):
    monkeypatch.setattr(export_module, "IN_MEMORY_ROWS", in_memory_rows)
    books = zip_books(export_zip(many))
    assert list(books) == [
        f"{many.name}-{org.branch_a.name}-Rankings.xlsx",
        f"{many.name}-{org.branch_b.name}-Rankings.xlsx",
    ]
    for branch, book in zip((org.branch_a, org.branch_b), books.values(), strict=True):
        assert book.sheetnames == [branch.name]
        ws = book[branch.name]
        # The branch's sheet as the one-branch workbook has it: same columns, same rows.
        single = rankings_book(export(many, branch_id=branch.pk))[branch.name]
        assert headers(ws) == headers(single)
        assert list(ws.iter_rows(values_only=True)) == list(single.iter_rows(values_only=True))
        assert Counter(numbers(ws)) == branch_numbers(many, branch)
        assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == {branch.name}


@pytest.mark.parametrize("in_memory_rows", [export_module.IN_MEMORY_ROWS, 3], ids=["built in memory", "streamed"])
def test_a_branchs_workbook_in_the_zip_goes_on_in_parts_too(org, many, limit, monkeypatch, in_memory_rows):
    monkeypatch.setattr(export_module, "IN_MEMORY_ROWS", in_memory_rows)
    books = list(zip_books(export_zip(many)).values())
    assert [book.sheetnames for book in books] == [
        [org.branch_a.name, *(f"{org.branch_a.name} ({n})" for n in range(2, 5))],
        [org.branch_b.name, f"{org.branch_b.name} (2)", f"{org.branch_b.name} (3)"],
    ]
    for branch, book in zip((org.branch_a, org.branch_b), books, strict=True):
        assert_parts_like_the_first(book.worksheets)
        assert Counter(n for ws in book.worksheets for n in numbers(ws)) == branch_numbers(many, branch)


def test_workbook_names_in_the_zip_are_unique_when_branch_names_would_clash(org, period):
    # "/" cannot stand in a file name and becomes "_"; Windows ignores case.
    clashing = [BranchFactory(name="机关/一支部"), BranchFactory(name="机关_一支部"), BranchFactory(name="IT支部")]
    clashing.append(BranchFactory(name="it支部"))
    computed(org, period, [MemberFactory(branch=b, group=None) for b in clashing])
    with zipfile.ZipFile(io.BytesIO(export_zip(period))) as archive:
        names = archive.namelist()
    assert len(names) == 4 and len({n.lower() for n in names}) == 4
    assert all(n.endswith(".xlsx") and "/" not in n for n in names)
    assert sum("机关_一支部" in n for n in names) == 2


def test_the_zip_carries_the_compared_periods_columns(org, many):
    last = PeriodFactory(
        code="2025", name="2025年度", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    computed(org, last, [org.member, org.other_secretary])
    Period.objects.filter(pk=last.pk).update(state=Period.State.FINAL)
    books = list(zip_books(export_zip(many, compare=last)).values())
    for book in books:
        (ws,) = book.worksheets
        assert headers(ws)[-5:-1] == COMPARED
    rows = {row[2]: row for row in books[1].worksheets[0].iter_rows(min_row=2, values_only=True)}
    before = Result.objects.get(period=last, member=org.other_secretary)
    assert rows[org.other_secretary.employee_no][-5:-1] == (
        float(before.total),
        before.rank_branch,
        before.rank_company,
        before.get_flag_display(),
    )


def test_the_zip_is_read_in_a_fixed_number_of_queries_whatever_the_number_of_branches(org, period):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            export_zip(period)
        return len(ctx.captured_queries)

    computed(org, period, everyone(org))
    few = count()
    branches = [BranchFactory() for _ in range(10)]
    computed(org, period, [MemberFactory(branch=b, group=None) for b in branches for _ in range(2)])
    assert len(zip_books(export_zip(period))) == 12
    assert count() == few <= 1


# ---------------------------------------------------------------------------
# The command


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_rankings", *args, stdout=out)
    return out.getvalue()


def test_command_writes_the_zip_per_branch(org, many, tmp_path):
    path = tmp_path / "rankings.zip"
    said = run("--period", many.code, "--per-branch", "--out", str(path))
    assert "27" in said and "2" in said
    books = zip_books(path.read_bytes())
    assert [b.sheetnames for b in books.values()] == [[org.branch_a.name], [org.branch_b.name]]
    # --branch narrows it to that branch's workbook.
    run("--period", many.code, "--per-branch", "--branch", org.branch_b.name, "--out", str(path))
    (book,) = zip_books(path.read_bytes()).values()
    assert Counter(numbers(book.worksheets[0])) == branch_numbers(many, org.branch_b)
    assert [p.name for p in tmp_path.iterdir()] == ["rankings.zip"]  # no partial file left behind


def test_command_splits_the_company_sheet(org, many, tmp_path, limit):
    path = tmp_path / "rankings.xlsx"
    run("--period", many.code, "--out", str(path))
    assert len(parts(rankings_book(path.read_bytes()), "Company-wide")) == 7


def test_command_per_branch_wants_a_zip_name(org, many, tmp_path):
    with pytest.raises(CommandError, match=r"\.zip"):
        run("--period", many.code, "--per-branch", "--out", str(tmp_path / "rankings.xlsx"))
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------
# The download


def zip_url(period, **query) -> str:
    base = reverse("assessment:rankings_zip_download", args=[period.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def content_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


@pytest.fixture
def published(many):
    Period.objects.filter(pk=many.pk).update(state=Period.State.PUBLISHED)
    many.refresh_from_db()
    return many


def test_admin_downloads_the_zip_of_every_branch(client_for, org, published):
    response = client_for(org.admin).get(zip_url(published))
    assert response["Content-Disposition"].endswith(quote(f"{published.name}-Rankings by branch.zip"))
    books = zip_books(content_of(response))
    assert [b.sheetnames for b in books.values()] == [[org.branch_a.name], [org.branch_b.name]]
    assert "Rank in company" in headers(next(iter(books.values())).worksheets[0])
    # One branch only, and the comparison, as on the workbook's download.
    (book,) = zip_books(content_of(client_for(org.admin).get(zip_url(published, branch=org.branch_b.pk)))).values()
    assert book.sheetnames == [org.branch_b.name]


def test_admin_download_with_compare(client_for, org, published):
    last = PeriodFactory(
        code="2025", name="2025年度", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    computed(org, last, [org.member])
    Period.objects.filter(pk=last.pk).update(state=Period.State.FINAL)
    books = zip_books(content_of(client_for(org.admin).get(zip_url(published, compare="2025"))))
    assert all(headers(b.worksheets[0])[-5:-1] == COMPARED for b in books.values())
    assert client_for(org.admin).get(zip_url(published, compare="1999")).status_code == 404


def test_a_branch_secretary_gets_only_their_own_branch_in_the_zip(client_for, org, published):
    client = client_for(org.secretary)
    (book,) = zip_books(content_of(client.get(zip_url(published)))).values()
    assert book.sheetnames == [org.branch_a.name]
    ws = book.worksheets[0]
    assert Counter(numbers(ws)) == branch_numbers(published, org.branch_a)
    assert "Rank in company" not in headers(ws)
    # Another branch's ZIP is refused; so is any ZIP before the results are published.
    assert client.get(zip_url(published, branch=org.branch_b.pk)).status_code == 404
    Period.objects.filter(pk=published.pk).update(state=Period.State.CLOSED)
    assert client.get(zip_url(published)).status_code == 404


@pytest.mark.parametrize("who", ["member", "leader", "masses"])
def test_members_and_masses_raters_get_no_zip(client_for, org, published, who):
    assert client_for(getattr(org, who)).get(zip_url(published)).status_code == 403


def test_the_zip_before_computing_says_so(client_for, org, period):
    response = client_for(org.admin).get(zip_url(period), follow=True)
    assert response.redirect_chain and "have not been computed yet" in str(list(response.context["messages"])[0])


def test_the_results_page_offers_the_zip_beside_the_workbook_to_the_administrator(client_for, org, published):
    page = client_for(org.admin).get(reverse("assessment:result_company", args=[published.code])).content.decode()
    form = page.split('data-testid="rankings-download"', 1)[1].split("</form>", 1)[0]
    assert 'data-testid="rankings-zip-download"' in form and f'formaction="{zip_url(published)}"' in form
    branch_page = client_for(org.secretary).get(
        reverse("assessment:result_branch", args=[published.code, org.branch_a.pk])
    )
    assert branch_page.status_code == 200
    assert "rankings-zip-download" not in branch_page.content.decode()
