"""The rating template written to Excel: one row per expected rating, the named rows
carrying the scores already given, and a sheet with the rubric."""

from __future__ import annotations

from typing import IO

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_rowcol_to_cell

from members.models import User

from ...models import Period, Rating
from .. import AssessmentError
from ..ratings import rubric_items
from .sheet import (
    EXCEL_MAX_ROWS,
    GROUP_LABELS,
    GROUP_VALUES,
    KEY_COLUMNS,
    NAMED_GROUPS,
    RATINGS_SHEET,
    RUBRIC_COLUMNS,
    RUBRIC_SHEET,
    ExpectedRating,
    expand,
    load_roll,
    paper_groups,
    require_paper_scope,
)


def _open_period(period_id: int) -> Period:
    period = Period.objects.select_related("rubric").get(pk=period_id)
    if period.state != Period.State.OPEN:
        raise AssessmentError(_("Rating is not open for %(period)s.") % {"period": period.name})
    return period


def _prefilled(period: Period, ratee_ids: list[int]) -> dict[tuple[int, str], dict[str, str]]:
    """Scores already given in the groups the template may show (never peer or masses)."""
    found: dict[tuple[int, str], dict[str, str]] = {}
    for ratee_id, group, scores in Rating.objects.filter(
        period=period, ratee_id__in=ratee_ids, rater_group__in=NAMED_GROUPS
    ).values_list("ratee_id", "rater_group", "scores"):
        found[(ratee_id, group)] = scores
    return found


def rating_template_export(*, actor: User | None, period_id: int, out: IO[bytes], branch_id: int | None = None) -> int:
    """Write the period's rating template (all branches, or one) to ``out``; returns the
    number of rating rows (a secretary's: their branch only)."""
    require_paper_scope(actor, branch_id)
    period = _open_period(period_id)
    items = rubric_items(period)
    roll = load_roll(branch_id)
    paper = paper_groups(period)

    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
    try:
        bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        text = book.add_format({"num_format": "@"})
        ws = book.add_worksheet(RATINGS_SHEET)
        rubric_ws = book.add_worksheet(RUBRIC_SHEET)
        first_item_col = len(KEY_COLUMNS)
        ws.set_column(0, 0, 16, text)
        ws.set_column(1, 1, 12, text)
        ws.set_column(2, 2, 11, text)
        ws.set_column(3, 4, 14, text)
        ws.set_column(first_item_col, first_item_col + len(items) - 1, 6)
        ws.freeze_panes(1, first_item_col)
        for col, header in enumerate([*KEY_COLUMNS, *(item.code for item in items)]):
            ws.write_string(0, col, header, bold)

        row = 0
        batch: list[ExpectedRating] = []

        def flush() -> None:
            nonlocal row
            scores_of = _prefilled(period, sorted({e.ratee_id for e in batch}))
            for expected in batch:
                row += 1
                if row >= EXCEL_MAX_ROWS:
                    raise AssessmentError(
                        _("The template would have more rows than Excel allows; export it one branch at a time.")
                    )
                ws.write_string(row, 0, expected.ratee_no)
                ws.write_string(row, 1, expected.ratee_name)
                ws.write_string(row, 2, GROUP_LABELS[expected.rater_group])
                if expected.rater_no:  # only a self row names its rater: the ratee
                    ws.write_string(row, 3, expected.rater_no)
                if expected.ballot_no:
                    ws.write_string(row, 4, expected.ballot_no)
                # Only self and organisation rows are looked up, so anonymous rows stay blank.
                given = scores_of.get((expected.ratee_id, expected.rater_group))
                if given:
                    for offset, item in enumerate(items):
                        if item.code in given:
                            ws.write_number(row, first_item_col + offset, float(given[item.code]))
            batch.clear()

        last_ratee = None
        for expected in expand(roll, paper):
            # Flush between ratees only, so that one ratee's rows are looked up together.
            if len(batch) >= 2000 and expected.ratee_id != last_ratee:
                flush()
            batch.append(expected)
            last_ratee = expected.ratee_id
        flush()

        if row:
            ws.autofilter(0, 0, row, first_item_col + len(items) - 1)
            ws.data_validation(
                1,
                2,
                row,
                2,
                {
                    "validate": "list",
                    "source": [GROUP_LABELS[group] for group in GROUP_VALUES],
                    "error_message": _("Choose one of: %(groups)s.")
                    % {"groups": "、".join(GROUP_LABELS[group] for group in GROUP_VALUES)},
                },
            )
            for offset, item in enumerate(items):
                col = first_item_col + offset
                cell = xl_rowcol_to_cell(1, col, row_abs=False, col_abs=False)
                ws.data_validation(
                    1,
                    col,
                    row,
                    col,
                    {
                        "validate": "custom",
                        "value": f"=AND(ISNUMBER({cell}),{cell}>=0,{cell}<={item.max_score},MOD({cell},0.5)=0)",
                        "ignore_blank": True,
                        "input_title": item.code,
                        "input_message": _("0 to %(max)s, in steps of 0.5") % {"max": item.max_score},
                        "error_message": _("%(item)s: a score from 0 to %(max)s in steps of 0.5.")
                        % {"item": f"{item.code} {item.name}", "max": item.max_score},
                    },
                )

        rubric_ws.set_column(0, 0, 8)
        rubric_ws.set_column(1, 2, 24)
        rubric_ws.set_column(3, 3, 9)
        rubric_ws.set_column(4, 4, 60)
        for col, header in enumerate(RUBRIC_COLUMNS):
            rubric_ws.write_string(0, col, header, bold)
        for number, item in enumerate(items, start=1):
            rubric_ws.write_string(number, 0, item.code)
            rubric_ws.write_string(number, 1, item.area.name)
            rubric_ws.write_string(number, 2, item.name)
            rubric_ws.write_number(number, 3, float(item.max_score))
            rubric_ws.write_string(number, 4, item.guidance)
    finally:
        book.close()
    return row
