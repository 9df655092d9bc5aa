"""The report's print view, laid out like the paper form: 真学, 真查 and 真改 each in a
cell of their own, and lines for the signatures and dates."""

import re

import pytest
from django.urls import reverse

from study.models import QuarterlyReport
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db


def printed(client_for, org, **fields) -> str:
    report = QuarterlyReportFactory(member=org.member, status=QuarterlyReport.Status.APPROVED, **fields)
    ReportProblemFactory(report=report)
    response = client_for(org.secretary).get(reverse("study:report_print", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def marks(content: str) -> list[str]:
    row = re.search(r'<tr data-testid="print-truly">(.*?)</tr>', content, re.S).group(1)
    return [cell.strip() for cell in re.findall(r'<td class="mark">(.*?)</td>', row, re.S)]


def test_truly_studied_checked_and_rectified_have_a_cell_each(client_for, org):
    content = printed(client_for, org, truly_studied=True, truly_checked=True, truly_rectified=False)
    assert marks(content) == ["✔", "✔", "✘"]


def test_truly_rectified_is_printed_even_when_checked_is_not_judged(client_for, org):
    content = printed(client_for, org, truly_studied=None, truly_checked=None, truly_rectified=True)
    assert marks(content) == ["", "", "✔"]


def test_the_print_view_has_signature_and_date_lines(client_for, org):
    content = printed(client_for, org)
    table = re.search(r'<table class="form signatures" data-testid="print-signatures">(.*?)</table>', content, re.S)
    assert table is not None
    assert len(re.findall(r'<td class="sign"></td>', table.group(1))) == 3
    assert len(re.findall(r'<td class="sign-date">', table.group(1))) == 3
