"""The quarterly report as a Word document, opened back with python-docx: one report scoped
like its print view, and a branch's approved reports of a quarter from the review board, as
one document (a page each) or a ZIP (a document each), in a bounded number of queries."""

from __future__ import annotations

import datetime
import io
import zipfile
from urllib.parse import unquote

import docx
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter, quarter_label
from partybuild.lib.word import DOCX_CONTENT_TYPE, document_text
from study.forms.report_documents import ReportBundleForm
from study.models import QuarterlyReport
from study.selectors.reports import report_figures_to_keep
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory, StudySessionFactory

pytestmark = pytest.mark.django_db

S = QuarterlyReport.Status
QUARTER = Quarter.current()


def this_quarter_session(branch):
    """A session early enough today and inside the quarter, whatever day the test runs."""
    starts_at = max(timezone.now() - datetime.timedelta(hours=1), QUARTER.bounds()[0])
    return StudySessionFactory(branch=branch, title="学习党章专题", starts_at=starts_at)


def approved(member, quarter: Quarter = QUARTER, *, keep_figures: bool = False, **fields) -> QuarterlyReport:
    judged = {
        "grade": QuarterlyReport.Grade.EXCELLENT,
        "truly_studied": True,
        "truly_checked": True,
        "truly_rectified": False,
        "group_opinion": "小组同意",
        "evaluation": f"{member.name}学习认真，评价优秀",
        "approved_at": timezone.now(),
    }
    report = QuarterlyReportFactory(member=member, quarter=quarter.code, status=S.APPROVED, **(judged | fields))
    if keep_figures:
        report.submitted_figures = report_figures_to_keep(report)
        report.save(update_fields=["submitted_figures"])
    return report


def opened(response) -> docx.document.Document:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return docx.Document(io.BytesIO(raw))


def filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


def board_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def bundle_url(quarter: Quarter = QUARTER, fmt: str = "docx", **more) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"quarter": quarter.code, "format": fmt, **more}.items())
    return f"{reverse('study:review_board_docx')}?{query}"


# --- one report -----------------------------------------------------------------------


def test_the_report_downloads_with_its_sections_evaluation_and_problems(client_for, org):
    last = QuarterlyReportFactory(member=org.member, quarter=QUARTER.previous().code, status=S.APPROVED)
    earlier = ReportProblemFactory(report=last, problem="上季度的问题")
    report = approved(org.member, insights="本季度的体会", analysis="对照检查的分析")
    ReportProblemFactory(report=report, problem="理论学习不够系统", cause="工作忙", measure="每周学习两小时")
    ReportProblemFactory(report=report, problem="上季度的问题", carried_from=earlier)
    session = this_quarter_session(org.branch_a)
    session.attendance.create(member=org.member, status="present")

    response = client_for(org.secretary).get(reverse("study:report_docx", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    name = filename(response)
    assert name.endswith(".docx") and f"-{org.member.name}-" in name and quarter_label(QUARTER.code) in name
    document = opened(response)
    text = document_text(document)
    for expected in (
        org.member.name,
        org.branch_a.name,
        org.group_a1.name,
        quarter_label(QUARTER.code),
        "学习党章专题",
        "本季度的体会",
        "对照检查的分析",
        "理论学习不够系统",
        "每周学习两小时",
        "上季度的问题",
        "小组同意",
        report.evaluation,
        str(QuarterlyReport.Grade.EXCELLENT.label),
    ):
        assert expected in text, expected
    for section in QuarterlyReport.Section:
        assert str(section.label) in text
    # The report's table, the evaluation's and the signatures', A4 portrait.
    assert len(document.tables) == 3
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_truly_studied_checked_and_rectified_are_ticked_as_judged(client_for, org):
    report = approved(org.member, truly_studied=True, truly_checked=None, truly_rectified=False)
    document = opened(client_for(org.secretary).get(reverse("study:report_docx", args=[report.pk])))
    marks = document.tables[1].rows[2].cells
    assert [marks[i].text for i in (1, 3, 5)] == ["✔", "", "✘"]


def test_a_report_without_problems_shows_a_dash_in_their_table(client_for, org):
    report = approved(org.member)
    document = opened(client_for(org.secretary).get(reverse("study:report_docx", args=[report.pk])))
    assert document.tables[0].rows[-1].cells[0].text == "—"


def test_a_submitted_report_shows_the_figures_it_was_submitted_with(client_for, org):
    """Like the print view: the particulars kept on submission, not the member's today."""
    report = approved(org.member, keep_figures=True)
    type(org.member).objects.filter(pk=org.member.pk).update(name="改名以后")
    response = client_for(org.secretary).get(reverse("study:report_docx", args=[report.pk]))
    assert "党员甲" in document_text(opened(response)) and "-党员甲-" in filename(response)


def test_a_member_downloads_their_own_report_but_not_another_s(client_for, org):
    own = approved(org.member)
    mate = approved(org.groupmate)
    client = client_for(org.member)
    assert client.get(reverse("study:report_docx", args=[own.pk])).status_code == 200
    assert client.get(reverse("study:report_docx", args=[mate.pk])).status_code == 404


def test_another_branch_s_secretary_gets_404(client_for, org):
    report = approved(org.member)
    assert client_for(org.other_secretary).get(reverse("study:report_docx", args=[report.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, org):
    report = approved(org.member)
    response = client.get(reverse("study:report_docx", args=[report.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_report_page_and_the_print_page_link_the_download(client_for, org):
    report = approved(org.member)
    client = client_for(org.secretary)
    url = reverse("study:report_docx", args=[report.pk])
    detail = client.get(reverse("study:report_detail", args=[report.pk])).content.decode()
    printed = client.get(reverse("study:report_print", args=[report.pk])).content.decode()
    assert 'data-testid="report-docx"' in detail and url in detail
    assert 'data-testid="print-docx"' in printed and url in printed


# --- a branch's quarter ---------------------------------------------------------------


@pytest.fixture
def quarter_of_branch_a(org):
    """Branch A's quarter: two approved reports, one still with the branch; branch B's approved."""
    return {
        "approved": [approved(org.member, keep_figures=True), approved(org.groupmate)],
        "waiting": QuarterlyReportFactory(member=org.member_a2, quarter=QUARTER.code, status=S.WITH_BRANCH),
        "other_branch": approved(org.member_b),
    }


def test_the_committee_downloads_the_approved_reports_as_one_document(client_for, org, quarter_of_branch_a):
    response = client_for(org.committee).get(bundle_url())
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE
    assert filename(response) == f"党性教育报告单-{org.branch_a.name}-{quarter_label(QUARTER.code)}.docx"
    document = opened(response)
    text = document_text(document)
    assert org.member.name in text and org.groupmate.name in text
    assert org.member_a2.name not in text and org.member_b.name not in text
    # A page each: three tables a report, a page break between.
    assert len(document.tables) == 6
    assert document.element.xml.count('w:type="page"') == 1


def test_the_approved_reports_download_as_a_zip_of_one_document_each(client_for, org, quarter_of_branch_a):
    twin = MemberFactory(branch=org.branch_a, group=org.group_a2, name=org.member.name)
    approved(twin)
    response = client_for(org.secretary).get(bundle_url(fmt="zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert filename(response).endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        texts = [document_text(docx.Document(io.BytesIO(archive.read(n)))) for n in names]
    assert len(names) == 3 and len(set(names)) == 3
    assert all(n.endswith(".docx") for n in names)
    assert sum(org.member.name in t for t in texts) == 2 and sum(org.groupmate.name in t for t in texts) == 1
    assert not any(org.member_a2.name in t or org.member_b.name in t for t in texts)


def test_the_administrator_chooses_the_branch(client_for, org, quarter_of_branch_a):
    response = client_for(org.admin).get(bundle_url(branch=org.branch_b.pk))
    text = document_text(opened(response))
    assert org.member_b.name in text and org.member.name not in text


def test_a_secretary_cannot_ask_for_another_branch(client_for, org, quarter_of_branch_a):
    """The branch in the query is the administrator's choice; a secretary gets their own."""
    response = client_for(org.other_secretary).get(bundle_url(branch=org.branch_a.pk))
    text = document_text(opened(response))
    assert org.member_b.name in text and org.member.name not in text


@pytest.mark.parametrize("who", ["member", "leader"])
def test_members_and_group_leaders_cannot_download_the_branch_s_reports(client_for, org, quarter_of_branch_a, who):
    assert client_for(getattr(org, who)).get(bundle_url()).status_code == 403


def test_a_quarter_with_nothing_approved_goes_back_to_the_board_with_a_message(client_for, org, quarter_of_branch_a):
    empty = QUARTER.previous()
    response = client_for(org.secretary).get(bundle_url(empty))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('study:review_board')}?quarter={empty.code}"
    [message] = board_messages(response)
    assert org.branch_a.name in message and quarter_label(empty.code) in message


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"quarter": "2026Q9"}, "quarter"),
        ({"quarter": "x" * 300}, "quarter"),
        ({"format": "pdf"}, "format"),
        ({"format": "<script>"}, "format"),
    ],
)
def test_a_bad_quarter_or_format_is_a_message_on_the_board(client_for, org, quarter_of_branch_a, query, field):
    params = {"quarter": QUARTER.code, "format": "docx", **query}
    url = reverse("study:review_board_docx") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    response = client_for(org.secretary).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("study:review_board"))
    [message] = board_messages(response)
    assert str(ReportBundleForm.base_fields[field].label) in message


def test_no_format_named_gives_one_document(client_for, org, quarter_of_branch_a):
    response = client_for(org.secretary).get(f"{reverse('study:review_board_docx')}?quarter={QUARTER.code}")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE


def test_the_board_offers_both_downloads(client_for, org):
    content = client_for(org.secretary).get(reverse("study:review_board")).content.decode()
    assert 'data-testid="board-docx"' in content
    assert f"quarter={QUARTER.code}&amp;format=docx" in content and f"quarter={QUARTER.code}&amp;format=zip" in content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.mark.parametrize("fmt", ["docx", "zip"])
def test_the_bundle_reads_a_bounded_number_of_queries(client_for, org, django_assert_max_num_queries, fmt):
    """No query per report: reports with and without kept figures, problems carried over or not."""
    last = QuarterlyReportFactory(member=org.member, quarter=QUARTER.previous().code, status=S.APPROVED)
    earlier = ReportProblemFactory(report=last)
    session = this_quarter_session(org.branch_a)

    def add(member, keep):
        report = approved(member, keep_figures=keep)
        ReportProblemFactory(report=report)
        ReportProblemFactory(report=report, carried_from=earlier)
        session.attendance.create(member=member, status="present")

    add(org.member, False)
    add(org.groupmate, True)
    client = client_for(org.secretary)
    url = bundle_url(fmt=fmt)
    few = _queries(client, url)
    for i in range(6):
        add(MemberFactory(branch=org.branch_a, group=org.group_a1, name=f"多一位{i}"), i % 2 == 0)
    many = _queries(client, url)
    assert many == few
    with django_assert_max_num_queries(12):
        response = client.get(url)
        b"".join(response.streaming_content)


def test_the_downloads_answer_get_only(client_for, org, quarter_of_branch_a):
    client = client_for(org.secretary)
    report = quarter_of_branch_a["approved"][0]
    assert client.post(reverse("study:report_docx", args=[report.pk])).status_code == 405
    assert client.post(bundle_url()).status_code == 405
