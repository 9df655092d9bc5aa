"""The one rule for text written into a file a spreadsheet opens: it never becomes a
live formula.

Excel and LibreOffice take a cell starting with =, +, -, @ (and, in a CSV, a tab or a
carriage return before one of them) as a formula: a name typed as
``=HYPERLINK("http://…","点我")`` would run in whoever opens the export. In an xlsx the
cure is the cell's type: ``write_dataset`` and the XlsxWriter exports write every text
cell as text, which no spreadsheet evaluates, and the value stays exactly as typed. A
CSV cell has no type, so the value is neutralised here the way OWASP recommends: an
apostrophe in front, which Excel hides and takes as "this is text".
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """``value`` as a CSV cell that no spreadsheet evaluates; numbers and other
    non-text values are left alone (a count of -1 is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
