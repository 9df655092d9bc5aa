"""The rankings workbook: company-wide and by branch, one row a member, flag cells in colour.

Streamed from the database into XlsxWriter's ``constant_memory`` mode: each sheet
is one ordered query read through ``.iterator()``, and each row goes to disk as
soon as it is written, so 100,000 members take little memory. (openpyxl stays
for reading workbooks; XlsxWriter writes this one about twice as fast.)

The rater-group scores are the group means as computed, under the rule of the results
pages: while a peer or masses group has fewer than ``ANONYMITY_MIN`` ratings, every mean
but the self-assessment is left blank (with the total known, the others would give the
withheld one away). That holds for administrators too.

With ``compare`` (another published or final period, usually last year's), each row also
gets that period's total, ranks and flag for the member, read by the same query (a LEFT
JOIN of the member's result in it): nothing more in memory, no query per row. A member
with no result in it gets empty cells.

Excel opens at most ``MAX_SHEET_ROWS`` rows a sheet: a sheet that would hold more goes on
in "全公司排名 (2)", "全公司排名 (3)"…, each part with its own header row, so a million
members still open. The administrator may instead take one workbook per branch inside a
ZIP (``rankings_zip_export``), read by one query in branch order.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import IO

import xlsxwriter
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _

from members.models import Branch
from partybuild.lib.filenames import download_name

from ..models import Period, RaterGroup, Result
from ..selectors.results import ANONYMITY_MIN

CHUNK_SIZE = 2000
# Excel's rows a sheet (2**20), the header row included; a longer sheet goes on in parts.
MAX_SHEET_ROWS = 1_048_576
# A branch's workbook in the ZIP of up to this many rows is built in memory (a few MB): no
# temporary file for each of its parts, three times faster with hundreds of branches. A
# larger branch streams through the disk like the company's workbook.
IN_MEMORY_ROWS = 2000

# Fill and font colour of the flag cell.
FLAG_COLOURS: dict[str, tuple[str, str]] = {
    Result.Flag.RED: ("#C00000", "#FFFFFF"),
    Result.Flag.YELLOW: ("#FFC000", "#000000"),
    Result.Flag.BLUE: ("#0070C0", "#FFFFFF"),
    Result.Flag.GREY: ("#A6A6A6", "#000000"),
}

_ROW_FIELDS = (
    "branch_id",
    "branch__name",
    "group__name",
    "member__employee_no",
    "member__name",
    "score_self",
    "score_peer",
    "score_masses",
    "score_org",
    "total",
    "rank_branch",
    "rank_company",
    "flag",
    "count_peer",
    "count_masses",
)
# The compared period's figures of the row's member (the "before" join; None without one).
_COMPARE_FIELDS = ("before__total", "before__rank_branch", "before__rank_company", "before__flag")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _headers(*, company_rank: bool, compare: Period | None = None) -> list[str]:
    headers = [
        _("Branch"),
        _("Party group"),
        _("Employee number"),
        _("Name"),
        # The rater groups by their own names (组织考评, not the roster's 组织架构).
        str(RaterGroup.SELF.label),
        str(RaterGroup.PEER.label),
        str(RaterGroup.MASSES.label),
        str(RaterGroup.ORG.label),
        _("Total"),
        _("Rank in branch"),
    ]
    if company_rank:
        headers.append(_("Rank in company"))
    headers.append(_("Flag"))
    if compare is not None:
        # The compared period by its code (“合计（2025）”): short enough for a column.
        named = {"period": compare.code}
        headers.append(_("Total (%(period)s)") % named)
        headers.append(_("Rank in branch (%(period)s)") % named)
        if company_rank:
            headers.append(_("Rank in company (%(period)s)") % named)
        headers.append(_("Flag (%(period)s)") % named)
    headers.append(_("Note"))
    return headers


def _withheld_note(short: tuple[bool, bool]) -> str:
    """Why the group scores of a row are blank: which anonymous group has too few ratings."""
    groups = [
        str(group.label)
        for group, is_short in zip((RaterGroup.PEER, RaterGroup.MASSES), short, strict=True)
        if is_short
    ]
    return _("%(groups)s: fewer than %(n)s ratings, so the group scores are not shown (only the total).") % {
        "groups": _(", ").join(groups),
        "n": ANONYMITY_MIN,
    }


def export_filename(*, what: str, period: Period, branch_name: str | None = None) -> str:
    """A downloaded workbook's name, as people file it: the period's and the branch's
    names and what it is (“2026年度党员量化考核-第一党支部-排名.xlsx”), without the
    characters a file name cannot hold."""
    return download_name(period.name, branch_name, what, extension="xlsx")


def _branch_name(branch_id: int | None) -> str | None:
    return Branch.objects.filter(pk=branch_id).values_list("name", flat=True).first() if branch_id else None


def rankings_filename(*, period: Period, branch_id: int | None) -> str:
    return export_filename(what=_("Rankings"), period=period, branch_name=_branch_name(branch_id))


def rankings_zip_filename(*, period: Period, branch_id: int | None) -> str:
    """The ZIP of one workbook per branch: “2026年度党员量化考核-各支部排名.zip”."""
    return download_name(period.name, _branch_name(branch_id), _("Rankings by branch"), extension="zip")


def _results(period: Period, branch_id: int | None):
    qs = Result.objects.filter(period=period)
    return qs.filter(branch_id=branch_id) if branch_id is not None else qs


def _rows(qs, compare: Period | None):
    """The sheet's row values, with the member's result in ``compare`` joined on."""
    if compare is None:
        return qs.values_list(*_ROW_FIELDS)
    before = FilteredRelation("member__results", condition=Q(member__results__period_id=compare.pk))
    return qs.annotate(before=before).values_list(*_ROW_FIELDS, *_COMPARE_FIELDS)


def _sheet_name(name: str, used: set[str], part: int = 1) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case. A
    sheet's continuation keeps its name with the part number: “全公司排名 (2)”."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "_"
    if part > 1:
        suffix = f" ({part})"
        base = base[: 31 - len(suffix)] + suffix
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook, period: Period, *, company_rank: bool, compare: Period | None):
        self.book = book
        self.period = period
        self.company_rank = company_rank
        self.compare = compare is not None
        self.headers = _headers(company_rank=company_rank, compare=compare)
        self.header = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
        self.score = book.add_format({"num_format": "0.00##"})
        self.total = book.add_format({"num_format": "0.00", "bold": True})
        self.flags = {
            flag: book.add_format({"bg_color": fill, "font_color": font, "align": "center"})
            for flag, (fill, font) in FLAG_COLOURS.items()
        }
        # Translated once, not once per row.
        self.flag_names = {flag: str(label) for flag, label in Result.Flag.choices}
        # Why a row's group scores are blank, by (peers short, masses short).
        self.withheld = {short: _withheld_note(short) for short in ((True, False), (False, True), (True, True))}
        self.used_names: set[str] = set()

    def write(self, name: str, rows: Iterator[tuple]) -> int:
        """The rows on the sheet ``name``, going on in “name (2)”, “name (3)”… whenever a
        sheet has taken Excel's rows; returns the number of rows written."""
        per_sheet = MAX_SHEET_ROWS - 1  # the header row takes one
        rows = iter(rows)
        written, part = 0, 1
        while True:
            n = self.rows(self.sheet(name, part), islice(rows, per_sheet))
            written += n
            if n < per_sheet:
                return written
            # A full sheet: a next part only if a row is left for it (no empty last part).
            following = next(rows, None)
            if following is None:
                return written
            rows = chain((following,), rows)
            part += 1

    def sheet(self, name: str, part: int = 1):
        ws = self.book.add_worksheet(_sheet_name(name, self.used_names, part))
        rank = [7] if self.company_rank else []
        widths = [18, 14, 12, 10, 8, 8, 8, 8, 8, 7, *rank, 9]
        if self.compare:
            widths += [10, 10, *([10] if self.company_rank else []), 10]
        widths.append(30)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 4)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_header("&C" + self.period.name.replace("&", "&&"))
        for col, header in enumerate(self.headers):
            ws.write_string(0, col, header, self.header)
        return ws

    def rows(self, ws, rows: Iterator[tuple]) -> int:
        # The row loop runs a hundred thousand times per sheet: the cell writers are bound
        # once, and XlsxWriter's row/column writers are called without the decorator that
        # parses "A1" cell references (most of its per-cell cost; the pinned 3.3 API).
        text, number = ws._write_string, ws._write_number
        score_format, total_format, flag_formats = self.score, self.total, self.flags
        flag_names, withheld = self.flag_names, self.withheld
        company_rank = self.company_rank
        flag_col = 11 if company_rank else 10
        # The compared period's columns: total, rank in branch, [rank in company], flag.
        before_col = flag_col + 1
        before_flag_col = before_col + (3 if company_rank else 2)
        note_col = before_flag_col + 1 if self.compare else flag_col + 1
        n = 0
        for (
            _branch_id,
            branch,
            group,
            employee_no,
            name,
            s_self,
            s_peer,
            s_masses,
            s_org,
            total,
            rank_branch,
            rank_company,
            flag,
            count_peer,
            count_masses,
            *before,
        ) in rows:
            n += 1
            note = None
            if 0 < count_peer < ANONYMITY_MIN or 0 < count_masses < ANONYMITY_MIN:
                s_peer = s_masses = s_org = None
                note = withheld[(0 < count_peer < ANONYMITY_MIN, 0 < count_masses < ANONYMITY_MIN)]
            text(n, 0, branch)
            if group:
                text(n, 1, group)
            text(n, 2, employee_no)
            text(n, 3, name)
            # A blank cell without a format is no cell at all: nothing is written for it.
            if s_self is not None:
                number(n, 4, float(s_self), score_format)
            if s_peer is not None:
                number(n, 5, float(s_peer), score_format)
            if s_masses is not None:
                number(n, 6, float(s_masses), score_format)
            if s_org is not None:
                number(n, 7, float(s_org), score_format)
            number(n, 8, float(total), total_format)
            number(n, 9, rank_branch)
            if company_rank:
                number(n, 10, rank_company)
            text(n, flag_col, flag_names.get(flag, flag), flag_formats.get(flag))
            if before and before[0] is not None:
                b_total, b_rank_branch, b_rank_company, b_flag = before
                number(n, before_col, float(b_total), total_format)
                number(n, before_col + 1, b_rank_branch)
                if company_rank:
                    number(n, before_col + 2, b_rank_company)
                text(n, before_flag_col, flag_names.get(b_flag, b_flag), flag_formats.get(b_flag))
            if note is not None:
                text(n, note_col, note)
        if n:
            ws.autofilter(0, 0, n, len(self.headers) - 1)
        return n


def rankings_export(
    *,
    period: Period,
    out: IO[bytes] | str,
    branch_id: int | None = None,
    company_rank: bool = True,
    compare: Period | None = None,
) -> int:
    """Write the period's rankings to ``out``; returns the number of members written.

    Without ``branch_id``: the company-wide sheet (by company rank) and the "By branch"
    sheet (each branch's members together, by rank in the branch; filter the Branch
    column for one). Two sheets, not one per branch: a company of two thousand branches
    would get as many tabs, and XlsxWriter keeps every sheet's bookkeeping until the
    file closes (26 MB of a 124 MB peak at 100,000 members). With ``branch_id``: that
    branch's sheet only, named after it. Each sheet goes on in parts past
    ``MAX_SHEET_ROWS``. ``company_rank=False`` leaves the company rank out (it is for
    administrators). ``compare``: another period whose total, ranks and flag stand
    beside each member's (see the module's docstring). One query a sheet, whatever the
    number of members.
    """
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
    try:
        writer = _Writer(book, period, company_rank=company_rank, compare=compare)
        if branch_id is None:
            company = _rows(
                _results(period, None).order_by(
                    "rank_company", "branch__sort_order", "branch__name", "member__employee_no"
                ),
                compare,
            )
            written = writer.write(_("Company-wide"), company.iterator(chunk_size=CHUNK_SIZE))
            name = _("By branch")
        else:
            name = _branch_name(branch_id) or "_"
        count = writer.write(name, _by_branch(period, branch_id, compare).iterator(chunk_size=CHUNK_SIZE))
        if branch_id is not None:
            written = count
    finally:
        book.close()
    return written


def rankings_zip_export(
    *,
    period: Period,
    out: IO[bytes] | str,
    branch_id: int | None = None,
    company_rank: bool = True,
    compare: Period | None = None,
) -> tuple[int, int]:
    """Write one workbook per branch into a ZIP at ``out``; returns (members, workbooks).

    Each workbook is what ``rankings_export`` writes for that branch alone (the same
    columns, ``compare`` included), named after the period and the branch; a branch
    without results gets none. One query for every branch, in branch order: a branch's
    workbook is closed when the branch changes, written to a temporary file and copied
    into the ZIP, so memory holds one branch's bookkeeping whatever the company's size (a
    branch past ``IN_MEMORY_ROWS`` is streamed, not built in memory).
    ``branch_id`` narrows it to that branch (the committee's scope).
    """
    rows = _by_branch(period, branch_id, compare).iterator(chunk_size=CHUNK_SIZE)
    members = books = 0
    used: set[str] = set()
    # Stored, not deflated: a workbook is a ZIP already and would not shrink.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for _branch_id, branch_rows in groupby(rows, key=itemgetter(0)):
            # The branch's first rows tell a small branch from a large one; they are put back
            # in front (the group is read once).
            head = list(islice(branch_rows, IN_MEMORY_ROWS + 1))
            branch_name = head[0][1]
            mode = "in_memory" if len(head) <= IN_MEMORY_ROWS else "constant_memory"
            with tempfile.TemporaryFile() as fh:
                book = xlsxwriter.Workbook(fh, {mode: True, "strings_to_numbers": False})
                try:
                    writer = _Writer(book, period, company_rank=company_rank, compare=compare)
                    members += writer.write(branch_name, chain(head, branch_rows))  # noqa: B031
                finally:
                    book.close()
                fh.seek(0)
                with archive.open(_zip_entry_name(period, branch_name, used), "w") as entry:
                    shutil.copyfileobj(fh, entry)
            books += 1
    return members, books


def _by_branch(period: Period, branch_id: int | None, compare: Period | None):
    """The rows in branch order (each branch's members together, by rank in the branch)."""
    ordered = _results(period, branch_id).order_by(
        "branch__sort_order", "branch__name", "branch_id", "rank_branch", "member__employee_no"
    )
    return _rows(ordered, compare)


def _zip_entry_name(period: Period, branch_name: str, used: set[str]) -> str:
    """A workbook's name inside the ZIP, unique ignoring case (two branch names may differ only
    in a character a file name cannot hold, or in case, which Windows ignores)."""
    name = export_filename(what=_("Rankings"), period=period, branch_name=branch_name)
    stem, n = name.removesuffix(".xlsx"), 1
    while name.lower() in used:
        n += 1
        name = f"{stem}（{n}）.xlsx"
    used.add(name.lower())
    return name
