import datetime
import io

import pytest
from openpyxl import load_workbook

from members.models import Member
from members.services import roster_export, roster_import
from members.tests.xlsx import HEADERS, roster_row, workbook

pytestmark = pytest.mark.django_db


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_good_file_imports_new_members(org):
    report = roster_import(file=workbook([roster_row(), roster_row(工号="N0002", 姓名="陳美玲", 党小组="")]))
    assert report.ok, errors_of(report)
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    first = Member.objects.get(employee_no="N0001")
    assert first.branch == org.branch_a
    assert first.group == org.group_a1
    assert first.joined_on == datetime.date(2015, 7, 1)
    # Traditional characters are kept as written.
    assert Member.objects.get(employee_no="N0002").name == "陳美玲"


def test_reimporting_the_same_file_changes_nothing(org):
    content = workbook([roster_row(), roster_row(工号="N0002")]).getvalue()
    roster_import(file=io.BytesIO(content))
    history_before = Member.history.count()
    report = roster_import(file=io.BytesIO(content))
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert Member.history.count() == history_before


def test_changed_row_updates_by_employee_number(org):
    report = roster_import(file=workbook([roster_row(工号=org.member.employee_no, 姓名="改名", 党小组="第二党小组")]))
    assert report.ok, errors_of(report)
    assert report.updated == 1
    org.member.refresh_from_db()
    assert org.member.name == "改名"
    assert org.member.group == org.group_a2
    assert org.member.history.first().history_type == "~"


def test_any_bad_row_writes_nothing_and_every_problem_is_reported(org):
    rows = [
        roster_row(工号="N0001"),
        roster_row(工号="N0002", 党支部="不存在的支部"),
        roster_row(工号="N0003", 入党日期="2015-13-45"),
        roster_row(工号="N0004", 姓名=""),
        roster_row(工号="N0005", 性别="未知"),
        roster_row(工号="N0006", 党小组="第九党小组"),
    ]
    count = Member.objects.count()
    report = roster_import(file=workbook(rows))
    assert not report.ok
    assert Member.objects.count() == count
    problems = {(row, column) for row, column, _ in errors_of(report)}
    assert problems == {(3, "党支部"), (4, "入党日期"), (5, "姓名"), (6, "性别"), (7, "党小组")}
    messages = " ".join(m for _, _, m in errors_of(report))
    assert "不存在的支部" in messages
    assert "2015-13-45" in messages


def test_duplicate_employee_number_inside_the_file_is_refused(org):
    report = roster_import(file=workbook([roster_row(), roster_row(姓名="另一个人")]))
    assert {(e.row, e.column) for e in report.errors} == {(2, "工号"), (3, "工号")}
    assert not Member.objects.filter(employee_no="N0001").exists()


def test_model_rules_are_checked_per_row(org):
    report = roster_import(file=workbook([roster_row(党员类别="预备党员", 转正日期="2016-07-01")]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "转正日期")]


def test_impossible_dates_are_refused_on_their_column(org):
    next_year = datetime.date.today().year + 1
    rows = [
        roster_row(工号="N0001", 入党日期="1900-07-01", 转正日期=""),
        roster_row(工号="N0002", 出生日期="1899-12-31"),
        roster_row(工号="N0003", 转正日期=f"{next_year}-07-01"),
        roster_row(工号="N0004", 出生日期="0001-01-01", 入党日期="9999-12-31", 转正日期=""),
    ]
    report = roster_import(file=workbook(rows))
    assert sorted((e.row, e.column) for e in report.errors) == [
        (2, "入党日期"),
        (3, "出生日期"),
        (4, "转正日期"),
        (5, "入党日期"),
        (5, "出生日期"),
    ]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "1921" in messages[(2, "入党日期")]
    assert "1900" in messages[(3, "出生日期")]
    assert "今天" in messages[(4, "转正日期")]
    assert not Member.objects.filter(employee_no__startswith="N000").exists()


def test_group_names_are_looked_up_inside_the_rows_branch(org):
    # Both branches have a "第一党小组"; the row's branch decides which one.
    report = roster_import(file=workbook([roster_row(党支部="第二党支部", 党小组="第一党小组")]))
    assert report.ok, errors_of(report)
    assert Member.objects.get(employee_no="N0001").group == org.group_b1


def test_missing_required_columns_are_named(org):
    headers = [h for h in HEADERS if h not in ("党支部", "入党日期")]
    report = roster_import(file=workbook([roster_row()], headers=headers))
    assert len(report.errors) == 1
    assert "党支部" in report.errors[0].message and "入党日期" in report.errors[0].message


def test_not_a_workbook_is_refused_with_a_message(org):
    report = roster_import(file=io.BytesIO(b"this is not excel"))
    assert not report.ok
    assert report.errors[0].row == 0
    assert "Excel" in report.errors[0].message


def test_dry_run_reports_without_writing(org):
    report = roster_import(file=workbook([roster_row()]), dry_run=True)
    assert report.ok and report.new == 1
    assert report.changes == [(2, "N0001", "新党员", "new")]
    assert not Member.objects.filter(employee_no="N0001").exists()


def test_excel_typed_cells_are_understood(org):
    row = roster_row(工号=12345, 入党日期=datetime.datetime(2015, 7, 1), 出生日期=datetime.date(1990, 1, 2))
    report = roster_import(file=workbook([row]))
    assert report.ok, errors_of(report)
    assert Member.objects.get(employee_no="12345").joined_on == datetime.date(2015, 7, 1)


def test_export_round_trips_unchanged(org):
    org.member.party_status = Member.PartyStatus.PROBATIONARY
    org.member.full_on = None
    org.member.phone = "13900001111"
    org.member.save()
    content = roster_export(members=Member.objects.all())
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "花名册"
    assert [c.value for c in sheet[1]] == HEADERS
    report = roster_import(file=io.BytesIO(content))
    assert report.ok, errors_of(report)
    assert (report.new, report.updated, report.unchanged) == (0, 0, Member.objects.count())


def test_blank_rows_are_skipped_and_row_numbers_match_excel(org):
    rows = [roster_row(), {}, roster_row(工号="N0002", 党支部="无")]
    report = roster_import(file=workbook(rows))
    assert [(e.row, e.column) for e in report.errors] == [(4, "党支部")]


def test_imported_rows_keep_history_with_who_imported_them(org):
    report = roster_import(
        file=workbook([roster_row(), roster_row(工号=org.member.employee_no, 姓名="改名")]), actor=org.admin
    )
    assert report.ok, errors_of(report)
    created = Member.history.get(employee_no="N0001")
    assert (created.history_type, created.history_user) == ("+", org.admin)
    changed = org.member.history.first()
    assert (changed.history_type, changed.history_user, changed.name) == ("~", org.admin, "改名")
    org.member.refresh_from_db()
    assert org.member.version == 2


def test_import_queries_do_not_grow_with_the_rows(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n: int) -> int:
        rows = [roster_row(工号=f"Q{n}{i:05d}") for i in range(n)]
        rows.append(roster_row(工号=org.member.employee_no, 姓名=f"改名{n}"))
        with CaptureQueriesContext(connection) as ctx:
            report = roster_import(file=workbook(rows), actor=org.admin)
        assert report.ok and report.new == n and report.updated == 1, errors_of(report)
        return len(ctx.captured_queries)

    small, large = queries_for(5), queries_for(300)
    # Only the bulk inserts' batches (bounded by the database's parameter limit) grow; a
    # query per row would add 295 or more.
    assert large - small < 300 / 10, (small, large)
