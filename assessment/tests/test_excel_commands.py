"""export_rating_template, import_ratings and export_rankings: files, messages, exit codes."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessment.models import Period, Rating
from assessment.services.results import results_compute
from assessment.tests.excel_helpers import fill_template, on_paper, rankings_book, sheet_rows
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    """Both branches rate on paper: the template has a row per expected rating (33)."""
    period = PeriodFactory()
    on_paper(period, org.admin, org.branch_a, org.branch_b)
    return period


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue()


def test_export_rating_template_writes_the_workbook(org, period, tmp_path):
    out_path = tmp_path / "ballots.xlsx"
    out, _ = run("export_rating_template", "--period", "2026", "--out", str(out_path))
    assert "33" in out and str(out_path) in out
    _, rows = sheet_rows(out_path.read_bytes())
    assert len(rows) == 33
    assert list(tmp_path.iterdir()) == [out_path]


def test_export_rating_template_for_a_branch_by_name_or_id(org, period, tmp_path):
    out_path = tmp_path / "b.xlsx"
    run("export_rating_template", "--period", "2026", "--branch", org.branch_b.name, "--out", str(out_path))
    assert len(sheet_rows(out_path.read_bytes())[1]) == 6
    run("export_rating_template", "--period", "2026", "--branch", str(org.branch_b.pk), "--out", str(out_path))
    assert len(sheet_rows(out_path.read_bytes())[1]) == 6


def test_export_rating_template_refusals_leave_no_file(org, period, tmp_path):
    out_path = tmp_path / "ballots.xlsx"
    message, _ = fails("export_rating_template", "--period", "1999", "--out", str(out_path))
    assert "1999" in message
    message, _ = fails("export_rating_template", "--period", "2026", "--branch", "无此支部", "--out", str(out_path))
    assert "无此支部" in message
    message, _ = fails("export_rating_template", "--period", "2026", "--out", str(tmp_path / "no" / "x.xlsx"))
    assert "does not exist" in message
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    message, _ = fails("export_rating_template", "--period", "2026", "--out", str(out_path))
    assert "not open" in message
    assert list(tmp_path.iterdir()) == []


def test_export_rating_template_help_explains_why_anonymous_rows_are_blank(capsys):
    from assessment.management.commands.export_rating_template import Command

    assert "anonymous" in Command.help and "never pre-filled" in Command.help


def filled_template(period, tmp_path, total=80):
    path = tmp_path / "ballots.xlsx"
    run("export_rating_template", "--period", period.code, "--out", str(path))
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(total)).items()}
    filled = fill_template(path.read_bytes(), lambda row: scores if row["rater_group"] == "org" else None)
    path.write_bytes(filled.getvalue())
    return path


def test_import_ratings_imports_a_filled_template(org, period, tmp_path):
    path = filled_template(period, tmp_path)
    out, _ = run("import_ratings", "--period", "2026", str(path))
    assert "8 added" in out and "0 paper ballots added" in out and "25 left blank" in out
    assert Rating.objects.filter(rater_group="org", source=Rating.Source.PAPER, entered_by=None).count() == 8
    out, _ = run("import_ratings", "--period", "2026", str(path))
    assert "0 added" in out and "8 unchanged" in out


def test_import_ratings_counts_paper_ballots_added_and_entered_before(org, period, tmp_path):
    path = tmp_path / "ballots.xlsx"
    run("export_rating_template", "--period", period.code, "--out", str(path))
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(75)).items()}
    filled = fill_template(path.read_bytes(), lambda row: scores if row["rater_group"] in ("peer", "masses") else None)
    path.write_bytes(filled.getvalue())
    out, _ = run("import_ratings", "--period", "2026", str(path))
    assert "0 added" in out and "17 paper ballots added" in out and "0 ballots entered before" in out
    assert Rating.objects.filter(ballot_no__isnull=False, entered_by=None).count() == 17
    out, _ = run("import_ratings", "--period", "2026", str(path))
    assert "0 paper ballots added" in out and "17 ballots entered before" in out and "0 unchanged" in out


def test_import_ratings_dry_run_writes_nothing(org, period, tmp_path):
    path = filled_template(period, tmp_path)
    out, _ = run("import_ratings", "--period", "2026", str(path), "--dry-run")
    assert "Dry run" in out and "8 added" in out
    assert not Rating.objects.exists()


def test_import_ratings_prints_each_bad_row_and_exits_non_zero(org, period, tmp_path):
    path = filled_template(period, tmp_path)
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book["评分表"]
    org_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "组织考评")
    ws.cell(org_row, 1).value = "X999"
    ws["F2"] = 99  # the first item of the (blank) first row: partly blank, and too high
    book.save(path)
    message, err = fails("import_ratings", "--period", "2026", str(path))
    assert "nothing was imported" in message
    lines = err.strip().splitlines()
    assert lines[0].startswith("row 2 [A1]: ")
    assert lines[1].startswith("row 2 [A2]: ") and "blank" in lines[1]
    assert f"row {org_row} [被评价人工号]: No member has the employee number “X999”." in lines
    assert not Rating.objects.exists()


def test_import_ratings_refusals(org, period, tmp_path):
    message, _ = fails("import_ratings", "--period", "2026", str(tmp_path / "missing.xlsx"))
    assert "No such file" in message
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"hello")
    _, err = fails("import_ratings", "--period", "2026", str(bad))
    assert err.startswith("file: ")
    message, _ = fails("import_ratings", "--period", "1999", str(bad))
    assert "1999" in message


def test_export_rankings_writes_the_company_and_by_branch_sheets(org, period, tmp_path):
    rate(period, org.member, "org", 91)
    rate(period, org.member_b, "org", 71)
    results_compute(actor=None, period_id=closed(period).pk)
    path = tmp_path / "rankings.xlsx"
    out, _ = run("export_rankings", "--period", "2026", "--out", str(path))
    assert "2 members" in out
    assert rankings_book(path.read_bytes()).sheetnames == ["Company-wide", "By branch"]
    out, _ = run("export_rankings", "--period", "2026", "--branch", org.branch_b.name, "--out", str(path))
    assert "1 members" in out
    book = rankings_book(path.read_bytes())
    assert book.sheetnames == [org.branch_b.name]
    assert book[org.branch_b.name]["C2"].value == org.member_b.employee_no


def test_export_rankings_refuses_before_results_are_computed(org, period, tmp_path):
    message, _ = fails("export_rankings", "--period", "2026", "--out", str(tmp_path / "r.xlsx"))
    assert "compute_results" in message
    assert list(tmp_path.iterdir()) == []


def test_export_rankings_unknown_branch(org, period, tmp_path):
    results_compute(actor=None, period_id=closed(PeriodFactory()).pk)
    message, _ = fails("export_rankings", "--period", "2026", "--branch", "无此支部", "--out", str(tmp_path / "r.xlsx"))
    assert "无此支部" in message
