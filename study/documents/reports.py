"""The quarterly Party-spirit report (党性教育报告单) with its evaluation (党性分析评价表) as a Word
document, laid out like its print view (templates/study/report_print.html): the same rows and
cells, ruled, on A4.

:func:`write_report` writes one report into a document, so one report is one document
(:func:`report_document`) and a branch's quarter is one document with a page per report
(:func:`bundle_document`) or a ZIP of one document per member (:func:`bundle_files`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Cm

from partybuild.lib import word
from partybuild.lib.filenames import download_name
from partybuild.lib.quarters import quarter_label

from ..models import QuarterlyReport
from ..selectors import reports as selectors
from ..selectors.reports import ReportFigures
from ..templatetags.study_labels import carried_over_badge

# Six columns across the 15.6 cm between the margins: three label-value pairs a row, as printed.
COLUMNS = (2.3, 2.9, 2.3, 2.9, 2.3, 2.9)
TALL = Cm(3)  # a written section's cell, as print.css's "tall": room to write on paper
SIGNATURE = Cm(1.2)


def _row(grid, index: int, pairs: Sequence[tuple[str, str]]) -> None:
    """Label-value pairs across a row of the six columns."""
    cells = grid.rows[index].cells
    for position, (label, value) in enumerate(pairs):
        word.fill(cells[2 * position], label, bold=True)
        word.fill(cells[2 * position + 1], value)


def _wide(grid, index: int, text: str, *, bold: bool = False, height=None, first: int = 0):
    """One cell across the row from column ``first``; ``height`` keeps room to write in it."""
    row = grid.rows[index]
    cell = row.cells[first].merge(row.cells[len(COLUMNS) - 1])
    word.fill(cell, text, bold=bold)
    if height is not None:
        row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.AT_LEAST
    return cell


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _mark(value: bool | None) -> str:
    """真学 / 真查 / 真改 as ticked on paper; blank where the branch did not judge it."""
    return "" if value is None else ("✔" if value else "✘")


def _studied(report: QuarterlyReport, figures: ReportFigures) -> str:
    sessions = [
        f"{s.starts_at:%Y-%m-%d} {s.get_kind_display()}：{s.title}（{s.get_content_tag_display()}）"
        for s in figures.sessions
    ]
    return _lines("\n".join(sessions) or "—", report.studied_notes)


def _org_life(report: QuarterlyReport, figures: ReportFigures) -> str:
    a = figures.attendance
    rate = f"{a.rate}%" if a.rate is not None else "—"
    counts = " · ".join(
        [
            f"{_('Sessions required')} {a.expected}",
            f"{_('Present')} {a.present}",
            f"{_('Excused')} {a.excused}",
            f"{_('Absent')} {a.absent}",
            f"{_('Attendance rate')} {rate}",
        ]
    )
    return _lines(counts, report.org_life_notes)


def _problem_text(report: QuarterlyReport, problem) -> str:
    if problem.carried_from is None:
        return problem.problem
    badge = strip_tags(carried_over_badge(problem.carried_from.report.quarter, report.quarter))
    return _lines(badge, problem.problem)


def write_report(document, report: QuarterlyReport, *, figures: ReportFigures, problems: Iterable) -> None:
    """One report and its evaluation, as the print view lays them out: the report's table
    (who, the five sections, the problems and rectification), the evaluation's table and the
    lines for the signatures. ``figures`` are what study.selectors.reports.report_figures
    gives; ``problems`` the report's, with ``carried_from__report`` loaded."""
    Section = QuarterlyReport.Section
    particulars = figures.particulars
    problems = list(problems)
    word.title(document, _("Party-spirit education report"), quarter_label(report.quarter))

    # Two rows of particulars, five sections (a heading row and a text row each; the fifth's
    # text is the problems' table: its header and a row per problem, or a dash).
    grid = word.table(document, 2 + 2 * 4 + 2 + max(len(problems), 1), len(COLUMNS), COLUMNS)
    _row(
        grid,
        0,
        [
            (_("Name"), particulars.name),
            (_("Employee number"), particulars.employee_no),
            (_("Party status"), particulars.get_party_status_display()),
        ],
    )
    _row(
        grid,
        1,
        [
            (_("Branch"), report.branch.name),
            (_("Party group"), particulars.group or "—"),
            (_("Post"), particulars.post or "—"),
        ],
    )
    texts = [
        (Section.STUDIED, _studied(report, figures), None),
        (Section.INSIGHTS, report.insights, TALL),
        (Section.ORG_LIFE, _org_life(report, figures), None),
        (Section.ANALYSIS, report.analysis, TALL),
    ]
    index = 2
    for section, text, height in texts:
        _wide(grid, index, str(section.label), bold=True)
        _wide(grid, index + 1, text, height=height)
        index += 2
    _wide(grid, index, str(Section.PROBLEMS.label), bold=True)
    header = grid.rows[index + 1].cells
    word.fill(header[0], _("Problem found"), bold=True)
    word.fill(header[1], _("Cause"), bold=True)
    word.fill(header[2].merge(header[4]), _("Rectification measure"), bold=True)
    word.fill(header[5], _("Completion"), bold=True)
    index += 2
    for problem in problems:
        cells = grid.rows[index].cells
        word.fill(cells[0], _problem_text(report, problem))
        word.fill(cells[1], problem.cause)
        word.fill(cells[2].merge(cells[4]), problem.measure)
        word.fill(cells[5], problem.get_status_display())
        index += 1
    if not problems:
        _wide(grid, index, "—")

    word.heading(document, _("Party-spirit analysis evaluation"))
    evaluation = word.table(document, 5, len(COLUMNS), COLUMNS)
    word.fill(evaluation.rows[0].cells[0], _("Group opinion"), bold=True)
    _wide(evaluation, 0, report.group_opinion, first=1)
    word.fill(evaluation.rows[1].cells[0], _("Grade"), bold=True)
    _wide(evaluation, 1, report.get_grade_display() if report.grade else "", first=1)
    marks = evaluation.rows[2].cells
    for position, (label, value) in enumerate(
        [
            (_("Truly studied"), report.truly_studied),
            (_("Truly checked"), report.truly_checked),
            (_("Truly rectified"), report.truly_rectified),
        ]
    ):
        word.fill(marks[2 * position], label, bold=True)
        word.fill(marks[2 * position + 1], _mark(value), centre=True)
    word.fill(evaluation.rows[3].cells[0], _("Branch evaluation"), bold=True)
    _wide(evaluation, 3, report.evaluation, first=1, height=TALL)
    word.fill(evaluation.rows[4].cells[0], _("Approved on"), bold=True)
    _wide(evaluation, 4, f"{report.approved_at:%Y-%m-%d}" if report.approved_at else "", first=1)

    word.paragraph(document)
    signatures = word.table(document, 3, 4, (3.6, 5.2, 1.6, 5.2))
    for row, label in zip(
        signatures.rows,
        [_("Member's signature"), _("Party group leader's signature"), _("Branch secretary's signature")],
        strict=True,
    ):
        word.fill(row.cells[0], label, bold=True)
        word.fill(row.cells[2], _("Date"), bold=True)
        word.fill(row.cells[3], _("____ year __ month __ day"))
        row.height, row.height_rule = SIGNATURE, WD_ROW_HEIGHT_RULE.AT_LEAST


def report_filename(report: QuarterlyReport, figures: ReportFigures) -> str:
    """党性教育报告单-张三-2026年第4季度.docx: the member's name as the report shows it."""
    return download_name(
        _("Party-spirit education report"), figures.particulars.name, quarter_label(report.quarter), extension="docx"
    )


def report_document(report: QuarterlyReport, *, figures: ReportFigures | None = None):
    """One report as its own document, from what the print view reads: its figures (read here
    unless given) and its problems."""
    document = word.new_document()
    write_report(
        document,
        report,
        figures=figures or selectors.report_figures(report),
        problems=report.problems.select_related("carried_from__report"),
    )
    return document


def bundle_document(reports: Sequence[QuarterlyReport], figures: dict[int, ReportFigures]):
    """A branch's reports in one document, a page each (``figures`` by report id, the
    reports with their problems prefetched: study.selectors.report_documents)."""
    document = word.new_document()
    for position, report in enumerate(reports):
        if position:
            word.page_break(document)
        write_report(document, report, figures=figures[report.pk], problems=report.problems.all())
    return document


def bundle_files(reports: Sequence[QuarterlyReport], figures: dict[int, ReportFigures]) -> Iterable[tuple[str, bytes]]:
    """A document per report, named as the single download names it, for a ZIP."""
    for report in reports:
        document = word.new_document()
        write_report(document, report, figures=figures[report.pk], problems=report.problems.all())
        yield report_filename(report, figures[report.pk]), word.to_bytes(document)


def bundle_filename(branch_name: str, quarter_code: str, extension: str) -> str:
    """党性教育报告单-第一党支部-2026年第4季度.docx (or .zip)."""
    return download_name(
        _("Party-spirit education report"), branch_name, quarter_label(quarter_code), extension=extension
    )
