import io

import pytest
from django.core.management import CommandError, call_command

from members.models import Member
from members.tests.xlsx import roster_row, workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_roster_command_imports_a_good_file(org, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([roster_row()]).getvalue())
    out, _ = run("import_roster", str(path))
    assert Member.objects.filter(employee_no="N0001").exists()
    out, _ = run("import_roster", str(path))
    assert Member.objects.filter(employee_no="N0001").count() == 1


def test_import_roster_command_prints_each_bad_row_and_fails(org, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([roster_row(), roster_row(工号="N0002", 党支部="不存在")]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=err)
    assert "党支部" in err.getvalue() and "不存在" in err.getvalue()
    assert not Member.objects.filter(employee_no__in=["N0001", "N0002"]).exists()


def test_import_roster_dry_run_writes_nothing(org, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([roster_row()]).getvalue())
    run("import_roster", str(path), "--dry-run")
    assert not Member.objects.filter(employee_no="N0001").exists()


def test_import_roster_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError):
        call_command("import_roster", "/nonexistent/roster.xlsx")


def test_export_then_import_is_a_no_op(org, tmp_path):
    path = tmp_path / "out.xlsx"
    run("export_roster", "--out", str(path))
    before = list(Member.objects.order_by("pk").values())
    run("import_roster", str(path))
    assert list(Member.objects.order_by("pk").values()) == before
