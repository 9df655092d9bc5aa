"""Building, reading and filling rating templates and rankings workbooks in tests."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook, load_workbook

from assessment.models import RaterGroup, RatingChannel
from assessment.services.ballots.sheet import (
    COL_GROUP,
    GROUP_OF_TEXT,
    LEGACY_COLUMNS,
    LEGACY_RATINGS_SHEET,
    RATINGS_SHEET,
)
from assessment.services.ballots.template_export import rating_template_export
from assessment.services.ratings import channel_set

ANONYMOUS = (RaterGroup.PEER, RaterGroup.MASSES)


def on_paper(period, actor, *branches, groups=ANONYMOUS) -> None:
    """The branches' peers and masses (or ``groups``) rate on paper in the period, chosen
    as the branch committee or an administrator chooses it."""
    for branch in branches:
        for group in groups:
            channel_set(
                actor=actor,
                period_id=period.pk,
                branch_id=branch.pk,
                rater_group=group,
                channel=RatingChannel.Channel.PAPER,
            )


def export_template(period, *, actor=None, branch_id=None) -> bytes:
    buffer = io.BytesIO()
    rating_template_export(actor=actor, period_id=period.pk, out=buffer, branch_id=branch_id)
    return buffer.getvalue()


def _with_keys(row: dict) -> dict:
    """A row of the ratings sheet by its Chinese headers, and by the older English ones too
    (the group as its code: self, peer, masses, org), so that tests may say either."""
    if COL_GROUP not in row:
        return row
    keyed = dict(row)
    for legacy, header in LEGACY_COLUMNS.items():
        keyed[legacy] = row.get(header)
    keyed["rater_group"] = GROUP_OF_TEXT.get(row[COL_GROUP], row[COL_GROUP])
    return keyed


def sheet_rows(content: bytes, sheet: str = RATINGS_SHEET) -> tuple[list[str], list[dict]]:
    """(headers, one dict per data row) of a sheet; blank cells are None."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    headers = [str(h) for h in rows[0]]
    return headers, [_with_keys(dict(zip(headers, row, strict=False))) for row in rows[1:]]


def fill_template(content: bytes, scores_for: Callable[[dict], dict | None]) -> io.BytesIO:
    """The template with each row's item cells set to ``scores_for(row)`` (None: leave the row)."""
    book = load_workbook(io.BytesIO(content))
    ws = book[RATINGS_SHEET]
    headers = [c.value for c in ws[1]]
    for excel_row in range(2, ws.max_row + 1):
        row = _with_keys({h: ws.cell(excel_row, col).value for col, h in enumerate(headers, start=1)})
        scores = scores_for(row)
        if scores is None:
            continue
        for col, header in enumerate(headers, start=1):
            if header in scores:
                ws.cell(excel_row, col).value = scores[header]
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def ratings_workbook(rows: list[dict], item_codes: list[str], *, headers: list[str] | None = None) -> io.BytesIO:
    """A hand-made ratings sheet: ``rows`` are dicts of column -> value. Its sheet and
    headers are an older template's (``ratings``, ``ratee_employee_no`` …), which the
    import still reads."""
    headers = headers or [*LEGACY_COLUMNS, *item_codes]
    book = Workbook()
    ws = book.active
    ws.title = LEGACY_RATINGS_SHEET
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def rankings_book(content: bytes):
    return load_workbook(io.BytesIO(content))


def fill_rgb(cell) -> str:
    """The cell's solid fill colour as RRGGBB."""
    return (cell.fill.fgColor.rgb or "")[-6:].upper()
