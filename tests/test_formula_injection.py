"""No export writes a live formula (issue 14, finding 8).

A name typed as ``=HYPERLINK(...)``, or any text starting with =, +, -, @, a tab or a
carriage return, comes out of every export as the text it is: a text cell in an xlsx,
an apostrophe in front in a CSV (partybuild.lib.cells).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm
from openpyxl import load_workbook

from members.models import Member
from members.resources import COLUMNS, MemberResource
from members.services import roster_export
from partybuild.lib.cells import neutralise_formula

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://example.com","点我")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def cells(content: bytes) -> list:
    """Every cell of every sheet, not read-only, so formulas show as such."""
    book = load_workbook(io.BytesIO(content))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def assert_no_formula(content: bytes, values: list[str]) -> None:
    found = cells(content)
    assert not [c.coordinate for c in found if c.data_type == "f"], "a cell was written as a formula"
    texts = {c.value for c in found}
    for value in values:
        # openpyxl writes a carriage return bare, which XML reads back as a line feed
        # (XlsxWriter escapes it); what matters is that the cell is text.
        assert {value, value.replace("\r", "\n")} & texts, f"{value!r} did not come out as typed"


@pytest.fixture
def named(org) -> list[Member]:
    members = [org.member, org.groupmate, org.member_a2, org.leader, org.committee, org.member_b]
    for member, name in zip(members, HOSTILE, strict=True):
        Member.objects.filter(pk=member.pk).update(name=name, post=name)
    return members


def test_the_admin_roster_export_writes_names_as_text(org, named, client):
    client.force_login(org.admin)
    fields = {SelectableFieldsExportForm.create_boolean_field_name(MemberResource, name): "on" for name in COLUMNS}
    response = client.post(reverse("admin:members_member_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_no_formula(response.content, HOSTILE)


def test_the_roster_export_writes_names_as_text(org, named):
    assert_no_formula(roster_export(members=Member.objects.all()), HOSTILE)


def test_quarter_status_csv_neutralises_a_branch_name(org):
    org.branch_a.name = HOSTILE[0]
    org.branch_a.save()
    org.branch_b.name = "@SUM(A1)"
    org.branch_b.save()
    out = io.StringIO()
    call_command("quarter_status", "--csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    firsts = [row[0] for row in rows[1:]]
    assert "'" + HOSTILE[0] in firsts and "'@SUM(A1)" in firsts, firsts
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row), rows


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_formula_puts_an_apostrophe_before_formula_text(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["党员甲", "1+1", "a=b", "", -1, 3, None])
def test_neutralise_formula_leaves_other_values_alone(value):
    assert neutralise_formula(value) == value


def test_the_rankings_workbook_writes_names_as_text(org, named):
    from assessment.services.rankings_export import rankings_export
    from assessment.services.results import results_compute
    from assessment.tests.factories import PeriodFactory, closed, rate

    period = PeriodFactory()
    for member in named:
        rate(period, member, "org", 90)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    out = io.BytesIO()
    rankings_export(period=period, out=out)
    assert_no_formula(out.getvalue(), HOSTILE[:4])  # =, +, -, @ (all it needs to show)
