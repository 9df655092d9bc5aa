"""The 三会一课 pages' tables, read from ``study.selectors.compliance`` (which does the counting):
one branch's lines with the meetings behind each figure, and every branch's figures per
requirement for the administrator's list and its workbook. Nothing here queries per branch."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import MeetingRule, StudySession
from .compliance import BRANCH_WIDE, BranchCompliance, Cell, Line, Slot, counts_for_group

# How a company list may be sorted: the value of ?sort= → its label. Organisation order
# (the branches' own order) when none is given.
SORTS = ("name", "rate", "-rate", "behind")
RECENT_YEARS = 5


def slot_label(slot: Slot, every: str) -> str:
    if every == MeetingRule.Every.MONTH:
        return _("M%(n)d") % {"n": slot.number}
    return _("Q%(n)d") % {"n": slot.number}


def month_labels() -> list[str]:
    """The branch table's columns: a rule counted by the quarter spans three of them."""
    return [_("M%(n)d") % {"n": n} for n in range(1, 13)]


def line_label(line: Line) -> str:
    """支委会, or 党小组会 · 第一党小组 for a group's line of a rule counted per group."""
    if line.group is not None:
        return f"{line.rule.short_label} · {line.group.name}"
    return str(line.rule.short_label)


def state_label(state: str) -> str:
    return {
        "met": _("Met"),
        "behind": _("Behind schedule"),
        "open": _("Under way"),
        "future": _("Not yet due"),
    }[state]


def year_choices(today: datetime.date | None = None) -> list[int]:
    """Next year (to plan ahead) and the last few, newest first."""
    this = (today or timezone.localdate()).year
    return list(range(this + 1, this - RECENT_YEARS, -1))


def parse_year(raw: str | None, today: datetime.date | None = None) -> tuple[int, bool]:
    """(the year asked for, True) or (this year, False) for anything that is not a year the
    pages can show: 2000 up to next year."""
    this = (today or timezone.localdate()).year
    value = (raw or "").strip()
    if not value:
        return this, True
    if value.isascii() and value.isdigit() and len(value) == 4 and 2000 <= int(value) <= this + 1:
        return int(value), True
    return this, False


# ---------------------------------------------------------------------------
# One branch


def _held_on(meeting) -> datetime.date:
    if isinstance(meeting, StudySession):
        return timezone.localtime(meeting.starts_at).date()
    return meeting.held_on


def _audience(meeting) -> str:
    return meeting.audience if isinstance(meeting, StudySession) else BRANCH_WIDE


@dataclass
class CellRow:
    cell: Cell
    label: str
    meetings: list
    anchor: str

    @property
    def state_label(self) -> str:
        return state_label(self.cell.state)


@dataclass
class LineRow:
    line: Line
    label: str
    cells: list[CellRow]

    @property
    def is_behind(self) -> bool:
        return self.line.behind > 0

    @property
    def meetings(self) -> list[CellRow]:
        """The slots with meetings counted, for the list under the table."""
        return [c for c in self.cells if c.meetings]


@dataclass
class RuleSection:
    """One requirement on the branch page: its lines (one, or one per Party group)."""

    rule: MeetingRule
    lines: list[LineRow] = field(default_factory=list)

    @property
    def slot_labels(self) -> list[str]:
        return [c.label for c in self.lines[0].cells] if self.lines else []


def branch_sections(*, entry: BranchCompliance, rules: list[MeetingRule], held: dict) -> list[RuleSection]:
    """The branch page's requirements, each with its lines and every cell's meetings (from
    ``meetings_held``), counted for a group's line as the figures are (its own group's
    meetings and the whole branch's)."""
    by_kind_month: dict[tuple[str, int], list] = defaultdict(list)
    for (kind, _group_id, month), meetings in held.items():
        by_kind_month[(kind, month)].extend(meetings)
    sections = [RuleSection(rule) for rule in rules]
    by_rule = {section.rule.pk: section for section in sections}
    for n, line in enumerate(entry.lines):
        group_id = line.group.pk if line.group else None
        cells = []
        for cell in line.cells:
            found = [
                meeting
                for month in range(cell.slot.first_month, cell.slot.last_month + 1)
                for meeting in by_kind_month[(line.rule.kind, month)]
                if counts_for_group(line.rule, _audience(meeting), getattr(meeting, "group_id", None), group_id)
            ]
            found.sort(key=_held_on)
            label = slot_label(cell.slot, line.rule.every)
            cells.append(CellRow(cell, label, found, f"held-{n}-{cell.slot.number}"))
        section = by_rule.get(line.rule.pk)
        if section is not None:
            section.lines.append(LineRow(line, line_label(line), cells))
    return sections


# ---------------------------------------------------------------------------
# Every branch


@dataclass
class RuleFigure:
    """One requirement of one branch: its lines (every group's, for a rule per group) added up."""

    rule: MeetingRule
    label: str  # the rule's short label, translated once for the whole list
    held: int = 0
    required: int = 0
    behind: int = 0
    lines: int = 0

    @property
    def is_behind(self) -> bool:
        return self.behind > 0

    def __str__(self) -> str:
        """The figure as the list shows it: held / required so far (支委会 9/11), or a dash for
        a requirement with no line (a rule per group in a branch without groups)."""
        return f"{self.held}/{self.required}" if self.lines else "—"


@dataclass
class CompanyRow:
    """One branch on the administrator's list; the totals are added up once, as the list is
    sorted by them and the page shows each more than once."""

    entry: BranchCompliance
    figures: list[RuleFigure]
    held: int = 0
    required: int = 0
    behind: int = 0
    rate: float | None = None
    percent: int | None = None

    def __post_init__(self):
        self.held = sum(f.held for f in self.figures)
        self.required = sum(f.required for f in self.figures)
        self.behind = sum(f.behind for f in self.figures)
        if self.required:
            self.rate = self.held / self.required
            self.percent = round(100 * self.rate)

    @property
    def branch(self):
        return self.entry.branch


def company_rows(
    entries: list[BranchCompliance], rules: list[MeetingRule], *, behind_only: bool = False, sort: str = ""
) -> list[CompanyRow]:
    """Every branch's figures for ``rules`` (all, or the one the list is filtered to),
    sorted: by name, by rate (lowest first with ``rate``), by slots behind (most first);
    a branch with nothing due yet sorts after those with a rate."""
    rows = []
    labels = {rule.pk: str(rule.short_label) for rule in rules}
    for entry in entries:
        figures = {rule.pk: RuleFigure(rule, labels[rule.pk]) for rule in rules}
        for line in entry.lines:
            figure = figures.get(line.rule.pk)
            if figure is not None:
                figure.held += line.held
                figure.required += line.required
                figure.behind += line.behind
                figure.lines += 1
        row = CompanyRow(entry, list(figures.values()))
        if not behind_only or row.behind:
            rows.append(row)
    if sort == "name":
        rows.sort(key=lambda r: r.branch.name)
    elif sort in ("rate", "-rate"):
        rated = [r for r in rows if r.rate is not None]
        sign = -1 if sort == "-rate" else 1
        rated.sort(key=lambda r: (sign * r.rate, r.branch.name))
        rows = rated + [r for r in rows if r.rate is None]
    elif sort == "behind":
        rows.sort(key=lambda r: (-r.behind, r.branch.name))
    return rows
