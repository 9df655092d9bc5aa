"""The 三会一课 workbook: every branch's figures (the summary sheet, one row a branch) and what
they are made of (the detail sheet, one row a branch × requirement line × month or quarter).

Two sheets, not one per branch: a company of two thousand branches would get as many tabs
(see assessment.services.rankings_export). Written with XlsxWriter's ``constant_memory``
mode from the figures ``study.selectors.compliance`` computed (four queries whatever the
number of branches); every text cell is written as text, so a branch named ``=HYPERLINK(…)``
stays a name (partybuild.lib.cells).
"""

from __future__ import annotations

from typing import IO

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partybuild.lib.filenames import download_name

from ..models import MeetingRule
from ..selectors.compliance_tables import CompanyRow, line_label, slot_label, state_label

BEHIND_FILL = "#F8D7DA"
BEHIND_FONT = "#842029"


def compliance_filename(*, year: int) -> str:
    """“2026年三会一课落实情况.xlsx”."""
    return download_name(_("%(year)s meetings compliance") % {"year": year}, extension="xlsx")


def summary_headers(rules: list[MeetingRule]) -> list[str]:
    headers = [_("Branch")]
    for rule in rules:
        named = {"meeting": rule.short_label}
        headers += [
            _("%(meeting)s held") % named,
            _("%(meeting)s required") % named,
            _("%(meeting)s periods behind") % named,
        ]
    return headers + [_("Meetings held"), _("Required so far"), _("Rate (%)"), _("Periods behind")]


DETAIL_HEADERS = (
    gettext_noop("Branch"),
    gettext_noop("Requirement"),
    gettext_noop("Period"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Meetings held"),
    gettext_noop("Meetings required"),
    gettext_noop("State"),
)


def compliance_export(*, rows: list[CompanyRow], rules: list[MeetingRule], year: int, out: IO[bytes] | str) -> int:
    """Write the workbook to ``out``; returns the number of branches written."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
    try:
        bold = book.add_format({"bold": True})
        behind = book.add_format({"bg_color": BEHIND_FILL, "font_color": BEHIND_FONT})
        date = book.add_format({"num_format": "yyyy-mm-dd"})

        summary = book.add_worksheet(_("Compliance summary"))
        headers = summary_headers(rules)
        summary.write_row(0, 0, headers, bold)
        summary.freeze_panes(1, 1)
        summary.set_column(0, 0, 24)
        for n, row in enumerate(rows, start=1):
            summary.write_string(n, 0, row.branch.name)
            col = 1
            for figure in row.figures:
                fmt = behind if figure.is_behind else None
                summary.write_number(n, col, figure.held, fmt)
                summary.write_number(n, col + 1, figure.required, fmt)
                summary.write_number(n, col + 2, figure.behind, fmt)
                col += 3
            summary.write_number(n, col, row.held)
            summary.write_number(n, col + 1, row.required)
            if row.percent is None:
                summary.write_blank(n, col + 2, None)
            else:
                summary.write_number(n, col + 2, row.percent)
            summary.write_number(n, col + 3, row.behind, behind if row.behind else None)
        if rows:
            summary.autofilter(0, 0, len(rows), len(headers) - 1)

        detail = book.add_worksheet(_("Compliance detail"))
        detail.write_row(0, 0, [_(h) for h in DETAIL_HEADERS], bold)
        detail.freeze_panes(1, 1)
        detail.set_column(0, 1, 24)
        detail.set_column(3, 4, 12)
        wanted = {rule.pk for rule in rules}
        n = 0
        for row in rows:
            for line in row.entry.lines:
                if line.rule.pk not in wanted:
                    continue
                label = line_label(line)
                for cell in line.cells:
                    n += 1
                    fmt = behind if cell.state == "behind" else None
                    detail.write_string(n, 0, row.branch.name)
                    detail.write_string(n, 1, label)
                    detail.write_string(n, 2, slot_label(cell.slot, line.rule.every))
                    detail.write_datetime(n, 3, cell.slot.starts, date)
                    detail.write_datetime(n, 4, cell.slot.ends, date)
                    detail.write_number(n, 5, cell.held)
                    detail.write_number(n, 6, cell.required)
                    detail.write_string(n, 7, state_label(cell.state), fmt)
        if n:
            detail.autofilter(0, 0, n, len(DETAIL_HEADERS) - 1)
    finally:
        book.close()
    return len(rows)
