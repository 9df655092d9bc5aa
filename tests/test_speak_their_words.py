"""The interface speaks the words a Party branch uses (issue 16, "Speak their words"):
quarters as 2026年第4季度, the organisation rater group as 组织考评, the pledge form's pages
as 承诺表, the suggestion's button as its status says it, Chinese workbooks that read back
what they write (and the English templates already handed out)."""

from __future__ import annotations

import io
from decimal import Decimal

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from activities.models import Suggestion
from activities.templatetags.activities_suggestions import thread_action_look
from assessment.models import CardKind, Period, Rating
from assessment.services.ballots.sheet import GROUP_LABELS, RATINGS_SHEET, RUBRIC_SHEET
from assessment.services.ballots.template_import import ratings_import
from assessment.services.cards import card_start
from assessment.services.rankings_export import rankings_export
from assessment.services.results import results_compute
from assessment.tests.excel_helpers import export_template, fill_template, sheet_rows
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling
from partybuild.lib.quarters import Quarter, quarter_label
from study.models import QuarterlyReport
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def page(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


# --- quarters --------------------------------------------------------------------------


def test_a_quarter_code_reads_as_people_say_it():
    assert quarter_label("2026Q4") == "2026年第4季度"
    assert quarter_label("2026q1") == "2026年第1季度"
    assert quarter_label("2026") == "2026"  # a year-long period's code stays as it is
    assert quarter_label(None) == ""


def test_report_pages_and_the_review_board_name_the_quarter_not_its_code(client_for, org):
    report = QuarterlyReportFactory(member=org.member, status=QuarterlyReport.Status.WITH_BRANCH)
    ReportProblemFactory(report=report)
    quarter = Quarter.parse(report.quarter)
    said = f"{quarter.year}年第{quarter.number}季度"
    board = page(client_for(org.secretary), reverse("study:review_board"))
    assert f">{said}</option>" in board and f">{report.quarter}</option>" not in board
    # The row's button opens the report whatever its state: 查看, not 待办 ("to do").
    assert ">查看</a>" in board and ">待办</a>" not in board
    detail = page(client_for(org.member), report.get_absolute_url())
    assert said in detail and f">{report.quarter}<" not in detail
    mine = page(client_for(org.member), reverse("study:report_list"))
    assert said in mine
    assert str(report) == f"{org.member.name} {said}"


# --- assessment words ------------------------------------------------------------------


def test_the_period_list_names_a_period_not_a_person(client_for, org):
    PeriodFactory(code="2026Q4")
    html = page(client_for(org.admin), reverse("assessment:period_list"))
    assert "<th>名称</th>" in html and "<th>姓名</th>" not in html
    assert 'data-label="名称"' in html and 'data-label="姓名"' not in html
    assert "2026年第4季度" in html


def test_a_period_code_used_twice_is_refused_in_chinese(org):
    period = PeriodFactory(code="2026")
    twin = Period(code="2026", name="另一个", rubric=period.rubric)
    with pytest.raises(ValidationError) as refused:
        twin.validate_unique()
    assert refused.value.message_dict["code"] == ["已有编码相同的考核周期。"]


def test_the_pledge_form_pages_say_pledge(client_for, org):
    year = timezone.localdate().year
    pledge = card_start(actor=org.member.user, kind=CardKind.PLEDGE, year=year)
    goal = card_start(actor=org.member.user, kind=CardKind.GOAL_CARD, year=year)
    client = client_for(org.member)
    for url in (reverse("assessment:card_detail", args=[pledge.pk]), reverse("assessment:card_edit", args=[pledge.pk])):
        html = page(client, url)
        assert "承诺表" in html and "争优卡" not in html, url
    assert "争优卡" in page(client, reverse("assessment:card_edit", args=[goal.pk]))


def test_the_suggestions_button_says_what_its_status_will_say():
    assert str(thread_action_look("close")["label"]) == "办结"
    assert str(Suggestion.Status.CLOSED.label) == "已办结"


def test_no_page_speaks_of_teams_or_the_org_chart_where_a_group_or_a_rater_is_meant():
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    teams = [e.msgid for e in po if "小队" in e.msgstr]
    assert not teams
    # 组织架构 is the roster's organisation chart (the menu's 组织架构 page), nothing else.
    chart = {(e.msgctxt, e.msgid) for e in po if "组织架构" in e.msgstr and not e.obsolete}
    assert chart <= {(None, "Organisation")}


# --- workbooks -------------------------------------------------------------------------


def test_the_rankings_workbook_calls_the_organisation_group_by_its_name(org):
    period = PeriodFactory()
    rate(period, org.member, "org", 91)
    results_compute(actor=None, period_id=closed(period).pk)
    buffer = io.BytesIO()
    rankings_export(period=period, out=buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    assert book.sheetnames == ["全公司", "按党支部"]
    headers = next(book["全公司"].iter_rows(values_only=True))
    assert "组织考评" in headers and "组织架构" not in headers
    assert {"个人自评", "党员互评", "群众参评", "党支部", "工号"} <= set(headers)


def test_the_ballot_template_is_chinese_and_reads_back_what_it_writes(org):
    period = PeriodFactory()
    content = export_template(period, actor=org.admin)
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == [RATINGS_SHEET, RUBRIC_SHEET] == ["评分表", "考核细则"]
    headers, rows = sheet_rows(content)
    assert headers[:5] == ["被评价人工号", "被评价人姓名", "评价主体", "评价人工号", "票号"]
    assert {r["评价主体"] for r in rows} == {GROUP_LABELS["self"], GROUP_LABELS["org"]} == {"个人自评", "组织考评"}
    rubric_headers, _rubric = sheet_rows(content, RUBRIC_SHEET)
    assert rubric_headers == ["编码", "考核方面", "考核项目", "满分", "评分说明"]
    assert not any(h.isascii() and h.isalpha() and h.islower() for h in headers)
    # Filled in Excel and imported: the import reads the Chinese sheet, headers and groups.
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(88)).items()}
    filled = fill_template(content, lambda row: scores if row["评价主体"] == "组织考评" else None)
    report = ratings_import(period_id=period.pk, file=filled, actor=org.admin)
    assert report.ok, report.errors
    assert report.new == Rating.objects.filter(period=period, rater_group="org").count() > 0
    assert set(Rating.objects.filter(period=period).values_list("total", flat=True)) == {Decimal("88.0")}


def test_a_bad_group_is_refused_with_the_chinese_choices(org):
    period = PeriodFactory()
    content = export_template(period, actor=org.admin)
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(88)).items()}
    filled = fill_template(content, lambda row: scores if row["评价主体"] == "组织考评" else None)
    book = load_workbook(filled)
    ws = book[RATINGS_SHEET]
    org_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "组织考评")
    ws.cell(org_row, 3).value = "领导评价"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = ratings_import(period_id=period.pk, file=buffer, actor=org.admin)
    assert [(e.row, e.column) for e in report.errors] == [(org_row, "评价主体")]
    assert "个人自评、党员互评、群众参评、组织考评" in report.errors[0].message
    assert not Rating.objects.exists()


def test_the_import_preview_names_the_rater_groups(client_for, org):
    period = PeriodFactory()
    client = client_for(org.admin)
    download = client.post(reverse("assessment:rating_template_download", args=[period.code]))
    content = b"".join(download.streaming_content)
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(88)).items()}
    filled = fill_template(content, lambda row: scores if row["评价主体"] == "组织考评" else None)
    filled.name = "ballots.xlsx"
    response = client.post(reverse("assessment:ratings_import", args=[period.code]), {"file": filled})
    assert response.context["report"].ok
    html = response.content.decode()
    assert 'data-label="评价主体">组织考评</td>' in html and ">org</td>" not in html
