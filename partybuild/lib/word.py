"""Word documents in the paper layout inspectors ask for (python-docx, nothing from outside).

The conventions of Chinese official documents (GB/T 9704) where a form allows them: A4, margins
of 3.7 / 3.5 / 2.8 / 2.6 cm, the title in 方正小标宋简体, headings in 黑体, the text in
仿宋_GB2312; Word uses a font only where the machine has it and falls back to its own Song
typeface otherwise, so a document opens everywhere. Tables have single borders on every cell, as
on paper.

A document writer takes the ``Document`` to write into, so the same writer makes one document
for one record and one document (a page per record, :func:`page_break` between) for many; the
views answer with :func:`docx_response` or :func:`zip_response`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)  # 二号
HEADING_SIZE = Pt(14)  # 四号
BODY_SIZE = Pt(12)  # 小四: what a form's cells hold


def set_font(target, east_asian: str, size: Pt | None = None, *, bold: bool | None = None) -> None:
    """Name the Chinese typeface (``w:eastAsia``) beside the Latin one, on a run or a style."""
    font = target.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def new_document(*, landscape: bool = False):
    """An empty A4 document with the official margins and the body typeface."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    set_font(document.styles["Normal"], BODY_FONT, BODY_SIZE)
    document.styles["Normal"].paragraph_format.space_after = Pt(0)
    return document


def title(document, text: str, subtitle: str = "") -> None:
    """The document's title, centred, and a line under it (the unit, the period) if given."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    set_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)
    if subtitle:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(12)
        set_font(line.add_run(subtitle), BODY_FONT, BODY_SIZE)


def heading(document, text: str) -> None:
    """A section heading in 黑体."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    set_font(paragraph.add_run(text), HEADING_FONT, HEADING_SIZE)


def paragraph(document, text: str = "", *, bold: bool = False, align_right: bool = False) -> None:
    """Body text; each line of ``text`` its own paragraph, as typed."""
    for line in (text or "").splitlines() or [""]:
        p = document.add_paragraph()
        if align_right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_font(p.add_run(line), BODY_FONT, BODY_SIZE, bold=bold)


def table(document, rows: int, columns: int, widths: Sequence[float] | None = None):
    """A bordered table (every cell single-ruled, as on paper); ``widths`` in centimetres."""
    grid = document.add_table(rows=rows, cols=columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths:
        grid.autofit = False
        # Word reads each cell's width, WPS and LibreOffice the table's grid: set both.
        for column, width in zip(grid.columns, widths, strict=False):
            column.width = Cm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
    return grid


LABEL_FILL = "F3F3F3"  # static/css/print.css: a label cell's grey


def shade(cell, fill: str = LABEL_FILL) -> None:
    """Give a cell the grey of a label (a ``th`` on the printed page)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def header_row(grid, labels: Sequence[str]) -> None:
    """The table's first row names its columns: bold, centred, shaded, and repeated at the
    top of every page the table runs onto."""
    row = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(repeat)
    for cell, label in zip(row.cells, labels, strict=True):
        fill(cell, label, bold=True, centre=True)
        shade(cell)


def fill(cell, text: str, *, bold: bool = False, centre: bool = False) -> None:
    """Write ``text`` into a table cell, a paragraph per line, in the body typeface."""
    lines = (text or "").splitlines() or [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        p = first if index == 0 else cell.add_paragraph()
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(line), BODY_FONT, BODY_SIZE, bold=bold)


def label_rows(document, pairs: Iterable[tuple[str, str]], widths: Sequence[float] = (3.6, 12.0)):
    """A two-column table of label and value: the head of a form (name, branch, quarter…); the
    default widths fill the 15.6 cm of text an A4 page with the official margins holds."""
    pairs = list(pairs)
    grid = table(document, len(pairs), 2, widths)
    for row, (label, value) in zip(grid.rows, pairs, strict=True):
        fill(row.cells[0], label, bold=True)
        fill(row.cells[1], value)
    return grid


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(document, filename: str) -> FileResponse:
    """The document as a download; ``filename`` may be Chinese (sent as RFC 5987 ``filename*``)."""
    return FileResponse(
        io.BytesIO(to_bytes(document)), as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE
    )


def zip_response(files: Iterable[tuple[str, bytes]], filename: str) -> FileResponse:
    """Several documents as one ZIP; names are UTF-8 (the flag the ZIP format has for it), and a
    name used twice gets a number, so no document overwrites another when unpacked."""
    buffer = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            count = seen.get(name, 0)
            seen[name] = count + 1
            if count:
                stem, dot, extension = name.rpartition(".")
                name = f"{stem}（{count + 1}）.{extension}" if dot else f"{name}（{count + 1}）"
            archive.writestr(name, content)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type="application/zip")


def document_text(document) -> str:
    """Every paragraph's and every table cell's text, in order: what a test reads back."""
    parts = [p.text for p in document.paragraphs]
    for grid in document.tables:
        for row in grid.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
