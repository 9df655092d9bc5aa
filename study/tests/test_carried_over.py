"""Rectification measures carried over from the previous report: marked 上季度转入 on
the report's page, its edit page and its print; when the member takes one out, the
report's history says so, for the group and the branch to see."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partybuild.lib.quarters import Quarter, quarter_label
from study.models import QuarterlyReport, ReportProblem
from study.services import reports as services
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db
S = QuarterlyReport.Status


def said(msgid: str, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % params if params else translation.gettext(msgid)


@pytest.fixture
def carried(org):
    """This quarter's report, started with one open measure carried over from last quarter."""
    previous = QuarterlyReportFactory(member=org.member, quarter=Quarter.current().previous().code, status=S.APPROVED)
    ReportProblemFactory(report=previous, problem="学习不系统", measure="每周学习", status=ReportProblem.Status.OPEN)
    report = services.report_start(actor=org.member.user, quarter=Quarter.current())
    ReportProblemFactory(report=report, problem="本季度新问题", position=5)
    return report


def badges(content: str) -> int:
    return content.count('data-testid="carried-over"')


@pytest.mark.parametrize("page", ["study:report_detail", "study:report_edit", "study:report_print"])
def test_a_carried_over_measure_is_marked_on_every_page_of_the_report(client_for, org, carried, page):
    content = client_for(org.member).get(reverse(page, args=[carried.pk])).content.decode()
    assert badges(content) == 1
    assert said("Carried over from last quarter") in content


def test_a_measure_carried_from_further_back_names_its_quarter(client_for, org):
    older = Quarter.current().previous().previous()
    previous = QuarterlyReportFactory(member=org.member, quarter=older.code, status=S.APPROVED)
    ReportProblemFactory(report=previous, problem="旧问题", status=ReportProblem.Status.OPEN)
    report = services.report_start(actor=org.member.user, quarter=Quarter.current())
    content = client_for(org.member).get(reverse("study:report_detail", args=[report.pk])).content.decode()
    assert said("Carried over from %(quarter)s", quarter=quarter_label(older.code)) in content


def edit_data(report, *, delete_carried: bool) -> dict:
    data = {
        "version": report.version,
        "insights": "体会",
        "analysis": "分析",
        "problems-TOTAL_FORMS": "2",
        "problems-INITIAL_FORMS": "2",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "1000",
    }
    for i, p in enumerate(report.problems.order_by("position", "pk")):
        data |= {
            f"problems-{i}-id": str(p.pk),
            f"problems-{i}-problem": p.problem,
            f"problems-{i}-cause": p.cause,
            f"problems-{i}-measure": p.measure,
            f"problems-{i}-status": p.status,
        }
        if p.carried_from_id and delete_carried:
            data[f"problems-{i}-DELETE"] = "on"
    return data


def test_removing_a_carried_over_measure_shows_in_the_reports_history(client_for, org, carried):
    client = client_for(org.member)
    response = client.post(reverse("study:report_edit", args=[carried.pk]), edit_data(carried, delete_carried=True))
    assert response.status_code == 302
    assert list(carried.problems.values_list("problem", flat=True)) == ["本季度新问题"]
    services.report_submit(actor=org.member.user, report_id=carried.pk)
    for who in (org.leader, org.secretary):
        content = client_for(who).get(reverse("study:report_detail", args=[carried.pk])).content.decode()
        assert content.count('data-testid="history-carried-removed"') == 1, who
        assert "学习不系统" in content and said("Removed a measure carried over from the previous quarter") in content


def test_removing_a_measure_of_this_quarter_leaves_no_such_entry(client_for, org, carried):
    data = edit_data(carried, delete_carried=False)
    data["problems-1-DELETE"] = "on"  # the new one (position 5, after the carried one)
    client = client_for(org.member)
    assert client.post(reverse("study:report_edit", args=[carried.pk]), data).status_code == 302
    content = client.get(reverse("study:report_detail", args=[carried.pk])).content.decode()
    assert 'data-testid="history-carried-removed"' not in content
