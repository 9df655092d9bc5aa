"""Reading uploaded Excel workbooks into tablib datasets, with clear refusals; writing
datasets back as workbooks.

Uploads are read with calamine (a Rust reader, about ten times faster than openpyxl
on a whole company's roster or ballots). Values come as openpyxl's read-only,
data-only mode gives them: formulas give their cached values (what Excel showed),
merged cells their top-left value once and blanks elsewhere, empty cells None,
whole numbers int, dates as dates.
"""

from __future__ import annotations

import io
from typing import IO

import tablib
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook


class WorkbookError(Exception):
    """The upload is not a workbook we can read; the message says why, for the user."""


def _cell(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_sheet(file: IO[bytes], *, sheet: str | None = None) -> tablib.Dataset:
    """The named sheet (or the first) as a dataset: first row headers, empty rows dropped.

    ``dataset.row_numbers[i]`` is the Excel row number of data row ``i``.
    """
    not_a_workbook = _("The file is not an Excel workbook (.xlsx).")
    try:
        book = CalamineWorkbook.from_filelike(file)
    except (CalamineError, OSError, ValueError, TypeError) as exc:
        raise WorkbookError(not_a_workbook) from exc
    try:
        if sheet is not None:
            if sheet not in book.sheet_names:
                raise WorkbookError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
            ws = book.get_sheet_by_name(sheet)
        else:
            if not book.sheet_names:
                raise WorkbookError(_("The sheet is empty."))
            ws = book.get_sheet_by_index(0)
        # From A1, so that list positions are Excel's row numbers less one.
        rows = iter(ws.to_python(skip_empty_area=False))
        try:
            header_row = next(rows)
        except StopIteration:
            raise WorkbookError(_("The sheet is empty.")) from None
        headers = [str(h).strip() if h not in (None, "") else "" for h in map(_cell, header_row)]
        while headers and not headers[-1]:
            headers.pop()
        if not any(headers):
            raise WorkbookError(_("The first row must hold the column headers."))
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            raise WorkbookError(_("The column headers repeat: %(columns)s.") % {"columns": "、".join(repeated)})
        width = len(headers)
        data = tablib.Dataset(headers=headers)
        # The Excel row number of each kept row, so errors point at what the user sees.
        data.row_numbers = []
        for number, raw in enumerate(rows, start=2):
            values = [_cell(v) for v in raw[:width]]
            values += [None] * (width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            data.append(values)
            data.row_numbers.append(number)
        return data
    except WorkbookError:
        raise
    except Exception as exc:  # a corrupt sheet inside a valid zip
        raise WorkbookError(not_a_workbook) from exc
    finally:
        book.close()


def write_dataset(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook (sheet named by its title, bold header row frozen), every
    text cell written as text. tablib hands a value starting with "=" to openpyxl, which
    stores it as a formula: a name typed as =HYPERLINK(...) would run in the exported file."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(dataset.title or "Sheet1")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, font=None) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"
        if font is not None:
            c.font = font
        return c

    ws.append([cell(h, bold) for h in dataset.headers or []])
    for row in dataset:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
