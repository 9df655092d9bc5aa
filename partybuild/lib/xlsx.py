"""Reading uploaded Excel workbooks into tablib datasets, with clear refusals; writing
datasets back as workbooks.

Every upload is first checked against the limits below (``check_workbook``), then read
with calamine (a Rust reader, about ten times faster than openpyxl
on a whole company's roster or ballots). Values come as openpyxl's read-only,
data-only mode gives them: formulas give their cached values (what Excel showed),
merged cells their top-left value once and blanks elsewhere, empty cells None,
whole numbers int, dates as dates.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

import tablib
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook


class WorkbookError(Exception):
    """The upload is not a workbook we can read; the message says why, for the user."""


# ---------------------------------------------------------------------------
# Limits on an uploaded workbook, all in one place. Every workbook is checked against
# them before calamine reads it: calamine lays a sheet out as one dense block from A1
# to the farthest cell, so a 5 KB file naming a cell at XFD1048576 asks it for 512 GB
# (the process aborts), and it keeps the shared strings in memory whole.

#: An upload through the web; the import commands take larger files.
WEB_MAX_BYTES = 20 * 1024 * 1024
WEB_BALLOTS_MAX_BYTES = 50 * 1024 * 1024
COMMAND_MAX_BYTES = 200 * 1024 * 1024
#: Rows of the sheet, the header row included. The web stops where an import still fits
#: in a request (a 10,000-row roster takes a few seconds); a longer roster goes through
#: ``import_roster``. The ballots: a member's peers and masses raters, for a company of
#: the size the project is built for (10,000 members), with room to spare.
ROSTER_WEB_MAX_ROWS = 20_000
ROSTER_COMMAND_MAX_ROWS = 500_000
BALLOTS_MAX_ROWS = 250_000
#: Columns a sheet may have beyond its own (a notes column the users added).
SPARE_COLUMNS = 10
#: A workbook saved by Excel has a dozen parts or so; one per sheet, image and table.
MAX_ZIP_MEMBERS = 500
#: How many times larger than compressed a part may unpack. Sheet XML packs well, so
#: the rule (Apache POI's default) applies only past RATIO_GRACE_BYTES.
MAX_COMPRESSION_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024
#: The most XML an honest cell takes (an inline Chinese string with its style), and
#: the most a part other than a sheet (the shared strings, the styles) takes per cell.
SHEET_BYTES_PER_CELL = 160
PART_BYTES_PER_CELL = 16
UNPACKED_SLACK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """What one import accepts: ``max_rows`` rows (Excel's row numbers, the header
    included), ``max_columns`` columns, a file of ``max_bytes``. ``too_long_hint`` is
    said after a refusal for length (on the web: which command takes a longer file)."""

    max_rows: int
    max_columns: int
    max_bytes: int = WEB_MAX_BYTES
    too_long_hint: str | Promise = ""

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_rows * self.max_columns * SHEET_BYTES_PER_CELL + UNPACKED_SLACK_BYTES

    @property
    def max_part_bytes(self) -> int:
        return self.max_rows * self.max_columns * PART_BYTES_PER_CELL + UNPACKED_SLACK_BYTES


_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,9})")
_CHUNK = 1024 * 1024


class _Refused(Exception):
    pass


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def _not_a_workbook() -> WorkbookError:
    return WorkbookError(_("The file is not an Excel workbook (.xlsx)."))


class _SheetScan:
    """The farthest row and column a worksheet's XML names, read as it streams past:
    the declared ``<dimension>``, each ``<row r>`` and ``<c r>``, and the places calamine
    gives rows and cells that name none (the next row, the next column). Refuses, as soon
    as it sees it, anything past the limits."""

    def __init__(self, limits: SheetLimits):
        self.limits = limits
        self.row = 0
        self.column = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        # An xlsx part has no DTD; one here could only be an entity-expansion bomb.
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype

    def doctype(self, *args):
        raise _not_a_workbook()

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise _not_a_workbook() from exc

    def too_long(self, message: str) -> WorkbookError:
        hint = str(self.limits.too_long_hint)
        return WorkbookError(f"{message} {hint}" if hint else message)

    def check(self, row: int, column: int) -> None:
        limits = self.limits
        if row > limits.max_rows:
            raise self.too_long(
                _("The sheet has a cell in row %(row)d, more than the %(limit)d rows allowed.")
                % {"row": row, "limit": limits.max_rows}
            )
        if column > limits.max_columns:
            raise WorkbookError(
                _("The sheet has a cell in column %(column)s, more than the %(limit)d columns allowed.")
                % {"column": _column_letters(column), "limit": limits.max_columns}
            )

    def start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            ref = attrs.get("r")
            if ref is None:
                self.column += 1
                row = max(self.row, 1)
            else:
                match = _CELL_REF.fullmatch(ref)
                if match is None:
                    raise _not_a_workbook()
                self.column = _column_number(match[1])
                row = max(int(match[2]), self.row)
            self.check(row, self.column)
        elif local == "row":
            ref = attrs.get("r")
            self.row = int(ref) if ref is not None and ref.isdigit() else self.row + 1
            self.column = 0
        elif local == "dimension":
            self.dimension(attrs.get("ref", ""))

    def dimension(self, ref: str) -> None:
        """Refuse a sheet that says it is larger than allowed, before reading its cells
        (Excel writes the dimension first: a 200,000-row roster is refused at once)."""
        match = _CELL_REF.fullmatch(ref.rpartition(":")[2])
        if match is None:
            return
        rows, columns = int(match[2]), _column_number(match[1])
        if rows > self.limits.max_rows:
            raise self.too_long(
                _("The sheet declares %(rows)d rows, more than the %(limit)d rows allowed.")
                % {"rows": rows, "limit": self.limits.max_rows}
            )
        if columns > self.limits.max_columns:
            raise WorkbookError(
                _("The sheet declares %(columns)d columns, more than the %(limit)d columns allowed.")
                % {"columns": columns, "limit": self.limits.max_columns}
            )


def _part_name(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def _sheet_parts(book: zipfile.ZipFile, limits: SheetLimits) -> set[str]:
    """The names (as ``_part_name`` gives them) of every worksheet the workbook lists,
    resolved as calamine does and then some, and every part under xl/worksheets/."""
    rels = {_part_name(i.filename): i for i in book.infolist()}.get("xl/_rels/workbook.xml.rels")
    parts = {name for name in map(_part_name, book.namelist()) if name.startswith("xl/worksheets/")}
    if rels is None:
        return parts
    targets: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name, attrs):
        if name.rpartition(" ")[2] == "Relationship" and attrs.get("Target"):
            targets.append(attrs["Target"])

    def refuse(*args):
        raise _not_a_workbook()

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in _unpack(book, rels, cap=limits.max_part_bytes):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _not_a_workbook() from exc
    for target in targets:
        target = target.replace("\\", "/")
        for candidate in (target, "xl/" + target, posixpath.normpath("xl/" + target)):
            parts.add(_part_name(posixpath.normpath(candidate)))
    return parts


def _unpack(book: zipfile.ZipFile, info: zipfile.ZipInfo, *, cap: int) -> Iterator[bytes]:
    """The part's bytes as they unpack, refusing past ``cap`` bytes or past the ratio.
    The sizes a zip declares are not believed: the stream is read as far as the data
    goes (up to ``cap``), and its checksum is verified at the end."""
    unbounded = copy.copy(info)
    unbounded.file_size = cap + 1
    seen = 0
    try:
        with book.open(unbounded) as stream:
            while chunk := stream.read(_CHUNK):
                seen += len(chunk)
                if seen > cap:
                    raise WorkbookError(
                        _("A part of the file unpacks to more than %(limit)s MB; the file is refused unread.")
                        % {"limit": _mb(cap)}
                    )
                if seen > RATIO_GRACE_BYTES and seen > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                    raise WorkbookError(
                        _(
                            "A part of the file unpacks to more than %(limit)d times its packed size, "
                            "as a zip bomb does; it is refused unread."
                        )
                        % {"limit": MAX_COMPRESSION_RATIO}
                    )
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _not_a_workbook() from exc
    except zlib.error as exc:
        raise _not_a_workbook() from exc


def check_workbook(file: IO[bytes], *, limits: SheetLimits) -> None:
    """Refuse, with WorkbookError naming the reason, a workbook calamine should not be
    given: too large a file, not a zip or not an xlsx one, too many parts, parts that
    unpack too large or too eagerly (a zip bomb), a sheet declaring or holding cells
    beyond ``limits``. Reads the file as a stream, never more than the limits allow."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > limits.max_bytes:
        raise WorkbookError(
            _("The file is too large: %(size)s MB, more than the %(limit)s MB allowed.")
            % {"size": _mb(size), "limit": _mb(limits.max_bytes)}
        )
    try:
        book = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a_workbook() from exc
    try:
        infos = book.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise WorkbookError(
                _("The file holds %(count)d parts, more than the %(limit)d a workbook may have.")
                % {"count": len(infos), "limit": MAX_ZIP_MEMBERS}
            )
        names = [_part_name(i.filename) for i in infos]
        # Two parts of one name: which one a reader takes is its own choice.
        if len(set(names)) != len(names) or "xl/workbook.xml" not in names:
            raise _not_a_workbook()
        # calamine would read these as another kind of workbook, past these checks.
        if "xl/workbook.bin" in names or "content.xml" in names:
            raise _not_a_workbook()
        sheets = _sheet_parts(book, limits)
        unpacked = 0
        for info, name in zip(infos, names, strict=True):
            scan = _SheetScan(limits) if name in sheets else None
            cap = limits.max_unpacked_bytes if scan is not None else limits.max_part_bytes
            for chunk in _unpack(book, info, cap=cap):
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_bytes:
                    raise WorkbookError(
                        _("The file unpacks to more than %(limit)s MB; it is refused unread.")
                        % {"limit": _mb(limits.max_unpacked_bytes)}
                    )
                if scan is not None:
                    scan.feed(chunk)
            if scan is not None:
                scan.feed(b"", final=True)
    finally:
        book.close()
        file.seek(0)


def _cell(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_sheet(file: IO[bytes], *, sheet: str | tuple[str, ...] | None = None, limits: SheetLimits) -> tablib.Dataset:
    """The named sheet (the first of the names the workbook has, where several are given;
    or the first sheet) as a dataset: first row headers, empty rows dropped, once the
    workbook has passed ``check_workbook`` with ``limits``.

    ``dataset.row_numbers[i]`` is the Excel row number of data row ``i``.
    """
    not_a_workbook = _("The file is not an Excel workbook (.xlsx).")
    check_workbook(file, limits=limits)
    try:
        book = CalamineWorkbook.from_filelike(file)
    except (CalamineError, OSError, ValueError, TypeError) as exc:
        raise WorkbookError(not_a_workbook) from exc
    try:
        if sheet is not None:
            names = (sheet,) if isinstance(sheet, str) else sheet
            found = next((name for name in names if name in book.sheet_names), None)
            if found is None:
                raise WorkbookError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": names[0]})
            ws = book.get_sheet_by_name(found)
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
    stores it as a formula: a name typed as =HYPERLINK(...) would run in the exported file.
    (The rule for every export: see partybuild.lib.cells.)"""
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


class CheckedXLSX(XLSX):
    """django-import-export's xlsx format for the Django admin, through the same doors as
    the app's own imports and exports: a file is read by ``read_sheet`` once it has passed
    ``limits`` (the framework's reader, openpyxl, would follow a hostile file as far as it
    claims), and written by ``write_dataset``, every text cell as text (the framework's
    writer stores a value starting with "=" as a live formula). A subclass sets ``limits``."""

    limits: SheetLimits

    def create_dataset(self, in_stream):
        return read_sheet(io.BytesIO(in_stream), limits=self.limits)

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset)
