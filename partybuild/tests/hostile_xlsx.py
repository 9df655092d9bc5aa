"""Hostile workbooks, built in memory from a few lines of XML: what a worksheet claims and
what its zip holds are both the attacker's to choose."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="{target}"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def workbook_xml(title: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def header_row(headers: list[str]) -> str:
    return '<row r="1">' + "".join(text_cell(f"{_letters(i + 1)}1", h) for i, h in enumerate(headers)) + "</row>"


def _letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_xml(
    rows: str, *, dimension: str | None = None, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>'
) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{prolog}<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


def workbook(
    sheet: str | bytes,
    *,
    title: str = "花名册",
    shared_strings: str | None = None,
    target: str = "worksheets/sheet1.xml",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal xlsx: one sheet called ``title`` whose XML is ``sheet``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", PACKAGE_RELS)
        book.writestr("xl/workbook.xml", workbook_xml(title))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(target=target))
        book.writestr("xl/" + target.lstrip("/").removeprefix("xl/"), sheet)
        book.writestr("xl/sharedStrings.xml", shared_strings or f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="0"/>')
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


# ---------------------------------------------------------------------------
# The files of the finding


def cell_at_xfd1048576(headers: list[str]) -> bytes:
    """5 KB naming one cell at the last row and column Excel has: calamine lays the sheet
    out from A1 to there and asks for 512 GB."""
    return workbook(sheet_xml(header_row(headers) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def declared_xfd1048576(headers: list[str]) -> bytes:
    return workbook(sheet_xml(header_row(headers), dimension="A1:XFD1048576"))


def sparse_to_z1000000(headers: list[str]) -> bytes:
    return workbook(sheet_xml(header_row(headers) + '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>'))


def cell_without_reference_far_right(headers: list[str]) -> bytes:
    """Cells that name no position take the next column: 20,000 of them in one row."""
    return workbook(sheet_xml(header_row(headers) + '<row r="2">' + "<c><v>1</v></c>" * 20_000 + "</row>"))


def shared_strings_bomb(headers: list[str], *, unpacked: int = 64 * 1024 * 1024) -> bytes:
    """The shared strings unpack a thousand times larger than they pack (calamine keeps
    them all in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", PACKAGE_RELS)
        book.writestr("xl/workbook.xml", workbook_xml("花名册"))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(target="worksheets/sheet1.xml"))
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml(header_row(headers)))
        with book.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode())
            chunk = b"<si><t>a</t></si>" * (1024 * 1024 // 16)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def lying_sizes(headers: list[str]) -> bytes:
    """A sheet whose zip entry declares 100 bytes unpacked, and holds a 64 MB cell."""
    rows = header_row(headers) + '<row r="2">' + text_cell("A2", "x" * (64 * 1024 * 1024)) + "</row>"
    content = bytearray(workbook(sheet_xml(rows)))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := content.find(signature, at)) != -1:
            name_len = struct.unpack_from("<H", content, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if content[name_at : name_at + name_len] == name:
                struct.pack_into("<I", content, at + size_at, 100)
            at += 4
    return bytes(content)


def entity_bomb(headers: list[str]) -> bytes:
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lololololololololol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + "]>"
    )
    return workbook(
        sheet_xml(
            header_row(headers) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=doctype
        )
    )


def too_many_parts(headers: list[str]) -> bytes:
    return workbook(sheet_xml(header_row(headers)), extra={f"xl/media/image{i}.png": b"x" for i in range(600)})


def duplicate_sheet_part(headers: list[str]) -> bytes:
    """Two entries of one name: a checker reading the first and a reader taking the last
    would see two different sheets."""
    content = workbook(sheet_xml(header_row(headers)))
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a") as book, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        book.writestr(
            "xl/worksheets/sheet1.xml",
            sheet_xml(header_row(headers) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        )
    return out.getvalue()


def hidden_sheet_path(headers: list[str]) -> bytes:
    """The sheet kept outside xl/worksheets/, where only the relationships point."""
    return workbook(
        sheet_xml(header_row(headers) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        target="/xl/elsewhere/data.xml",
    )


def honest_rows(headers: list[str], rows: int, *, dimension: bool = True, value: str = "党员") -> bytes:
    """A long sheet of honest rows (``rows`` of them under the header), written as Excel
    writes it, in a few seconds."""
    out = io.BytesIO()
    width = len(headers)
    last = _letters(width)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", PACKAGE_RELS)
        book.writestr("xl/workbook.xml", workbook_xml("花名册"))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(target="worksheets/sheet1.xml"))
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="0"/>')
        with book.open("xl/worksheets/sheet1.xml", "w") as part:
            declared = f'<dimension ref="A1:{last}{rows + 1}"/>' if dimension else ""
            part.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{declared}<sheetData>'.encode())
            part.write(header_row(headers).encode())
            batch = []
            for r in range(2, rows + 2):
                # Each row its own values, as a real roster's are (names, numbers, phones).
                cells = "".join(f'<c t="inlineStr"><is><t>{value}{r * 7 + i}</t></is></c>' for i in range(width))
                batch.append(f'<row r="{r}">{cells}</row>')
                if len(batch) == 5000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return out.getvalue()
