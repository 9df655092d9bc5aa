"""Paper ballots: the rating template written to Excel and the filled template read back.

The template is a sheet ``ratings`` with one row per expected rating — columns
``ratee_employee_no``, ``ratee_name``, ``rater_group`` (self / peer / masses / org),
``rater`` (the ratee's own employee number on a self row, nothing on any other) and
``ballot_no`` (on a peer or masses row: a number such as ``E0001-P03`` that names the
ratee and the ballot, never the rater), then one column per rubric item code — and a
sheet ``rubric`` with each item's code, area, name and maximum.

Anonymity (docs/reliability.md): a peer or masses row names no rater, so whoever
types the paper ballots in learns nothing about who gave what, and the rows are never
pre-filled. Peer and masses rows appear only for a branch that chose paper for that
group in the period (RatingChannel); the web refuses that group's ratings there, so
nobody is counted twice. A ballot number already entered is left as it is and counted,
never compared with what was typed: the preview says how many ballots each ratee gets,
never whether a typed row equals a stored one. Self and organisation rows are named,
carry the scores already given, and replace them.

A row whose item cells are all blank means "not rated here" and is skipped; a row with
some cells blank is refused: a blank is never a zero. Importing is all or nothing: every
row is checked with the web form's own validation (``clean_scores``) and the same
who-rates-whom rules, every bad row is reported with its Excel row number, column and
reason, and nothing is written unless the whole file is good. Importing a file twice
changes nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from xlsxwriter.utility import xl_rowcol_to_cell

from members.models import MassesRater, Member, User
from members.roles import get_roles
from members.services import RowError
from partybuild.lib.xlsx import (
    BALLOTS_MAX_ROWS,
    SPARE_COLUMNS,
    WEB_BALLOTS_MAX_BYTES,
    SheetLimits,
    WorkbookError,
    read_sheet,
)

from ..models import ANONYMOUS_GROUPS, Period, RaterGroup, Rating, RatingChannel, RubricItem
from . import AssessmentError
from .ratings import clean_scores, rubric_items

RATINGS_SHEET = "ratings"
RUBRIC_SHEET = "rubric"
COL_RATEE = "ratee_employee_no"
COL_NAME = "ratee_name"
COL_GROUP = "rater_group"
COL_RATER = "rater"
COL_BALLOT = "ballot_no"
KEY_COLUMNS = (COL_RATEE, COL_NAME, COL_GROUP, COL_RATER, COL_BALLOT)
REQUIRED_KEY_COLUMNS = (COL_RATEE, COL_GROUP, COL_RATER, COL_BALLOT)
BALLOT_LETTER = {RaterGroup.PEER: "P", RaterGroup.MASSES: "M"}
RUBRIC_COLUMNS = ("code", "area", "name", "maximum", "guidance")
GROUP_VALUES = (RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG)
# Rows whose scores the template carries: the groups that are not anonymous.
NAMED_GROUPS = (RaterGroup.SELF, RaterGroup.ORG)
EXCEL_MAX_ROWS = 1_048_576
CHUNK = 500  # ids per IN (...) query


def _require_admin(actor: User | None) -> None:
    if actor is not None and not get_roles(actor).is_admin:
        raise PermissionDenied


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------------------
# Who is expected to rate whom, for the whole roll at once


@dataclass(frozen=True, slots=True)
class ExpectedRating:
    ratee_id: int
    ratee_no: str
    ratee_name: str
    rater_group: str
    rater_no: str = ""  # a self row's rater: the ratee
    ballot_no: str = ""  # a peer or masses row's ballot


def ballot_number(ratee_no: str, group: str, k: int) -> str:
    return f"{ratee_no}-{BALLOT_LETTER[group]}{k:02d}"


@dataclass
class _Roll:
    """The active members in template order, grouped into peer units, and their masses raters."""

    members: list[tuple[int, str, str, int, int | None]]
    units: dict[tuple[int, int | None], list[tuple[int, str, str, int, int | None]]]
    masses_of: dict[int, list[int]]


def _load_roll(branch_id: int | None) -> _Roll:
    """Two queries whatever the size of the roll: the active members, and the masses links."""
    members = Member.objects.filter(is_active=True)
    links = MassesRater.ratees.through.objects.filter(massesrater__is_active=True, member__is_active=True)
    if branch_id is not None:
        members = members.filter(branch_id=branch_id)
        links = links.filter(member__branch_id=branch_id)
    rows = list(
        members.order_by(
            "branch__sort_order",
            "branch__name",
            F("group__sort_order").asc(nulls_last=True),
            F("group__name").asc(nulls_last=True),
            "employee_no",
        ).values_list("pk", "employee_no", "name", "branch_id", "group_id")
    )
    # Peers are the other members of the same group, or for a member without a group
    # the other group-less members of the branch: exactly eligibility.peers_of.
    units: dict[tuple[int, int | None], list] = defaultdict(list)
    for row in rows:
        units[(row[3], row[4])].append(row)
    masses_of: dict[int, list[int]] = defaultdict(list)
    for rater_id, member_id in links.order_by("massesrater_id").values_list("massesrater_id", "member_id"):
        masses_of[member_id].append(rater_id)
    return _Roll(members=rows, units=units, masses_of=masses_of)


def _paper_groups(period: Period) -> set[tuple[int, str]]:
    """(branch, group) pairs that rate on paper in the period."""
    return set(
        RatingChannel.objects.filter(period=period, channel=RatingChannel.Channel.PAPER).values_list(
            "branch_id", "rater_group"
        )
    )


def _expand(roll: _Roll, paper: set[tuple[int, str]]) -> Iterator[ExpectedRating]:
    for pk, number, name, branch_id, group_id in roll.members:
        yield ExpectedRating(pk, number, name, RaterGroup.SELF, rater_no=number)
        counts = {
            RaterGroup.PEER: len(roll.units[(branch_id, group_id)]) - 1,
            RaterGroup.MASSES: len(roll.masses_of.get(pk, ())),
        }
        for group, count in counts.items():
            if (branch_id, group) in paper:
                for k in range(1, count + 1):
                    yield ExpectedRating(pk, number, name, group, ballot_no=ballot_number(number, group, k))
        yield ExpectedRating(pk, number, name, RaterGroup.ORG)


def expected_ratings(*, period: Period, branch_id: int | None = None) -> Iterator[ExpectedRating]:
    """Every rating the template asks for, ratee by ratee (in roster order): self, a ballot
    per peer and per linked masses rater where the branch rates that group on paper, the
    organisation. Inactive members and raters take no part."""
    return _expand(_load_roll(branch_id), _paper_groups(period))


# ---------------------------------------------------------------------------
# The template


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
    number of rating rows."""
    _require_admin(actor)
    period = _open_period(period_id)
    items = rubric_items(period)
    roll = _load_roll(branch_id)
    paper = _paper_groups(period)

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
                ws.write_string(row, 2, expected.rater_group)
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
        for expected in _expand(roll, paper):
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
                    "source": list(GROUP_VALUES),
                    "error_message": _("Use self, peer, masses or org."),
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


# ---------------------------------------------------------------------------
# The import


@dataclass
class RatingsImportReport:
    dry_run: bool
    new: int = 0  # named (self and organisation) ratings
    updated: int = 0
    unchanged: int = 0
    ballots: int = 0  # anonymous paper ballots added
    ballots_entered: int = 0  # ballot numbers entered before: left as they are, not compared
    skipped: int = 0  # rows left blank: not rated here
    errors: list[RowError] = field(default_factory=list)
    # Named rows: (Excel row, ratee's employee number, ratee's name, rater group, "new" | "update").
    changes: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    # Anonymous ballots, per ratee and group: (employee number, name, rater group, ballots added).
    ballots_per_ratee: list[tuple[str, str, str, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def writes(self) -> int:
        return self.new + self.updated + self.ballots


def import_summary(report: RatingsImportReport) -> str:
    return _(
        "%(new)d added, %(updated)d updated, %(unchanged)d unchanged, %(ballots)d paper ballots added, "
        "%(entered)d ballots entered before (left as they are), %(skipped)d left blank."
    ) % {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "ballots": report.ballots,
        "entered": report.ballots_entered,
        "skipped": report.skipped,
    }


@dataclass
class _PaperRow:
    row: int
    ratee_no: str
    group: str
    rater: str
    ballot_no: str
    scores: dict[str, str] | None = None
    total: Decimal | None = None
    ratee_id: int | None = None
    ratee_name: str = ""

    @property
    def key(self) -> tuple:
        return (self.ratee_id, self.group, self.ballot_no or None)


def _text(value: object) -> str:
    """A cell as text: employee numbers typed as numbers come back as 1001, not 1001.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(dataset, items: list[RubricItem], report: RatingsImportReport) -> list[_PaperRow]:
    index = {header: i for i, header in enumerate(dataset.headers) if header}
    codes = [item.code for item in items]
    rows: list[_PaperRow] = []
    for values, excel_row in zip(dataset, dataset.row_numbers, strict=True):
        cells = {code: values[index[code]] for code in codes}
        blanks = {code for code, value in cells.items() if _is_blank(value)}
        if len(blanks) == len(codes):
            report.skipped += 1
            continue
        paper = _PaperRow(
            row=excel_row,
            ratee_no=_text(values[index[COL_RATEE]]),
            group=_text(values[index[COL_GROUP]]).lower(),
            rater=_text(values[index[COL_RATER]]),
            ballot_no=_text(values[index[COL_BALLOT]]).upper(),
        )
        try:
            paper.scores, paper.total = clean_scores(items, cells)
        except ValidationError as exc:
            for code, messages in exc.message_dict.items():
                if code in blanks:
                    message = _(
                        "%(item)s is blank. A blank is not a zero: score every item, "
                        "or leave the whole row blank for “not rated”."
                    ) % {"item": code}
                else:
                    message = messages[0]
                report.errors.append(RowError(row=excel_row, column=code, message=message))
        rows.append(paper)
    return rows


def _resolve(period: Period, rows: list[_PaperRow], report: RatingsImportReport) -> None:
    """Match each row's ratee and check its rater or ballot against the rules (a few
    queries per 500 distinct numbers, never one per row)."""
    members: dict[str, tuple[int, str, int, int | None, bool]] = {}
    for chunk in _chunks({r.ratee_no for r in rows if r.ratee_no}):
        for pk, number, name, branch_id, group_id, active in Member.objects.filter(employee_no__in=chunk).values_list(
            "pk", "employee_no", "name", "branch_id", "group_id", "is_active"
        ):
            members[number] = (pk, name, branch_id, group_id, active)
    # How many ballots each ratee has, per group: one per peer, one per linked masses rater.
    ratee_ids = [m[0] for m in members.values()]
    masses_count: dict[int, int] = {}
    for chunk in _chunks(ratee_ids):
        links = MassesRater.ratees.through.objects.filter(member_id__in=chunk, massesrater__is_active=True)
        masses_count.update(links.order_by().values_list("member_id").annotate(n=Count("pk")))
    branches = {m[2] for m in members.values()}
    units: dict[tuple[int, int | None], int] = {
        (branch_id, group_id): n
        for branch_id, group_id, n in Member.objects.filter(branch_id__in=branches, is_active=True)
        .order_by()
        .values_list("branch_id", "group_id")
        .annotate(n=Count("pk"))
    }
    paper = _paper_groups(period)

    def error(row: _PaperRow, column: str, message: str) -> None:
        report.errors.append(RowError(row=row.row, column=column, message=message))

    seen: dict[tuple, int] = {}
    for row in rows:
        ratee = None
        if not row.ratee_no:
            error(row, COL_RATEE, _("Give an employee number."))
        elif (ratee := members.get(row.ratee_no)) is None:
            error(row, COL_RATEE, _("No member has the employee number “%(number)s”.") % {"number": row.ratee_no})
        elif not ratee[4]:
            error(
                row,
                COL_RATEE,
                _("%(name)s (%(number)s) is no longer on the roll.") % {"name": ratee[1], "number": row.ratee_no},
            )
            ratee = None
        if ratee is not None:
            row.ratee_id, row.ratee_name = ratee[0], ratee[1]
        if row.group not in GROUP_VALUES:
            error(
                row,
                COL_GROUP,
                _("“%(value)s” is not a rater group; write self, peer, masses or org.") % {"value": row.group},
            )
            continue
        if row.group in ANONYMOUS_GROUPS:
            if row.rater:
                error(row, COL_RATER, _("A peer or masses ballot names no rater: leave the rater blank."))
            if ratee is not None:
                _check_ballot(row, ratee, paper, units, masses_count, error)
        else:
            if row.ballot_no:
                error(row, COL_BALLOT, _("Only peer and masses rows have a ballot number: leave it blank."))
            if row.group == RaterGroup.SELF and row.rater != row.ratee_no:
                error(
                    row,
                    COL_RATER,
                    _("In a self-rating the rater is the ratee: write %(number)s.") % {"number": row.ratee_no},
                )
            elif row.group == RaterGroup.ORG and row.rater:
                error(row, COL_RATER, _("The organisation gives one combined rating: leave the rater blank."))
        text_key = (row.ratee_no, row.group, row.ballot_no)
        if text_key in seen:
            error(row, "", _("The same rating is already in row %(row)d.") % {"row": seen[text_key]})
        else:
            seen[text_key] = row.row


def _check_ballot(row: _PaperRow, ratee: tuple, paper, units, masses_count, error) -> None:
    ratee_pk, _name, branch_id, group_id, _active = ratee
    label = RaterGroup(row.group).label
    if (branch_id, row.group) not in paper:
        error(
            row,
            COL_GROUP,
            _("In this branch the %(group)s rate online in this period: their ratings are not entered from paper.")
            % {"group": label},
        )
        return
    count = units[(branch_id, group_id)] - 1 if row.group == RaterGroup.PEER else masses_count.get(ratee_pk, 0)
    # The ballot number was read in capitals; the ratee's number may have small letters.
    prefix = f"{row.ratee_no}-{BALLOT_LETTER[row.group]}".upper()
    suffix = row.ballot_no.removeprefix(prefix)
    if not row.ballot_no:
        error(row, COL_BALLOT, _("Give the ballot number printed on the paper ballot."))
    elif count == 0:
        error(row, COL_BALLOT, _("%(ratee)s has no %(group)s ballots.") % {"ratee": row.ratee_no, "group": label})
    elif suffix == row.ballot_no or not suffix.isdigit() or not 1 <= int(suffix) <= count:
        error(
            row,
            COL_BALLOT,
            _("“%(ballot)s” is not a ballot of %(ratee)s: the ballots are %(first)s to %(last)s.")
            % {
                "ballot": row.ballot_no,
                "ratee": row.ratee_no,
                "first": ballot_number(row.ratee_no, row.group, 1),
                "last": ballot_number(row.ratee_no, row.group, count),
            },
        )
    else:
        row.ballot_no = ballot_number(row.ratee_no, row.group, int(suffix))


def _existing(period: Period, rows: list[_PaperRow], *, lock: bool) -> dict[tuple, Rating]:
    found: dict[tuple, Rating] = {}
    for chunk in _chunks(sorted({r.ratee_id for r in rows})):
        qs = Rating.objects.filter(period=period, ratee_id__in=chunk).order_by("pk")
        if lock:
            qs = qs.select_for_update()
        for rating in qs.filter(Q(rater_group__in=NAMED_GROUPS) | Q(ballot_no__isnull=False)):
            found[(rating.ratee_id, rating.rater_group, rating.ballot_no)] = rating
    return found


class _Rollback(Exception):
    pass


def ratings_import(
    *, period_id: int, file: IO[bytes], actor: User | None = None, dry_run: bool = False
) -> RatingsImportReport:
    """Import a filled rating template for the period, all or nothing (see the module's
    docstring for the rules). ``actor`` is the administrator, None for a command."""
    _require_admin(actor)
    report = RatingsImportReport(dry_run=dry_run)
    period = Period.objects.select_related("rubric").get(pk=period_id)
    if period.state != Period.State.OPEN:
        report.errors.append(
            RowError(row=0, column="", message=_("Rating is not open for %(period)s.") % {"period": period.name})
        )
        return report
    items = rubric_items(period)
    try:
        limits = SheetLimits(
            max_rows=BALLOTS_MAX_ROWS,
            max_columns=len(KEY_COLUMNS) + len(items) + SPARE_COLUMNS,
            max_bytes=WEB_BALLOTS_MAX_BYTES,
        )
        dataset = read_sheet(file, sheet=RATINGS_SHEET, limits=limits)
    except WorkbookError as exc:
        report.errors.append(RowError(row=0, column="", message=str(exc)))
        return report
    codes = [item.code for item in items]
    missing = [c for c in (*REQUIRED_KEY_COLUMNS, *codes) if c not in dataset.headers]
    if missing:
        report.errors.append(
            RowError(
                row=1,
                column="",
                message=_("The sheet lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            )
        )
    unknown = [h for h in dataset.headers if h and h not in KEY_COLUMNS and h not in codes]
    if unknown:
        report.errors.append(
            RowError(
                row=1,
                column="",
                message=_("These columns are not items of the period's rubric: %(columns)s.")
                % {"columns": "、".join(unknown)},
            )
        )
    if report.errors:
        return report

    rows = _parse(dataset, items, report)
    _resolve(period, rows, report)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report

    now = timezone.now()
    try:
        with transaction.atomic():
            if not dry_run:
                # Closing the period takes this lock too: no paper rating lands in a closed period.
                period = Period.objects.select_for_update().get(pk=period.pk)
                if period.state != Period.State.OPEN:
                    report.errors.append(
                        RowError(
                            row=0, column="", message=_("Rating is not open for %(period)s.") % {"period": period.name}
                        )
                    )
                    raise _Rollback
            existing = _existing(period, rows, lock=not dry_run)
            created: list[Rating] = []
            ballots: list[Rating] = []
            changed: list[Rating] = []
            per_ratee: dict[tuple[str, str, str], int] = defaultdict(int)
            for row in rows:
                rating = existing.get(row.key)
                if row.group in ANONYMOUS_GROUPS:
                    if rating is not None:
                        # Entered before: never compared, so the file confirms no guess.
                        report.ballots_entered += 1
                        continue
                    ballots.append(
                        Rating(
                            period=period,
                            ratee_id=row.ratee_id,
                            rater_group=row.group,
                            ballot_no=row.ballot_no,
                            scores=row.scores,
                            total=row.total,
                            source=Rating.Source.PAPER,
                            entered_by=actor,
                        )
                    )
                    per_ratee[(row.ratee_no, row.ratee_name, row.group)] += 1
                    continue
                if rating is not None and rating.scores == row.scores:
                    report.unchanged += 1
                    continue
                if rating is None:
                    rating = Rating(period=period, ratee_id=row.ratee_id, rater_group=row.group)
                    created.append(rating)
                    kind = "new"
                else:
                    rating.version += 1
                    changed.append(rating)
                    kind = "update"
                rating.scores, rating.total = row.scores, row.total
                rating.source, rating.entered_by = Rating.Source.PAPER, actor
                report.changes.append((row.row, row.ratee_no, row.ratee_name, row.group, kind))
            report.new, report.updated, report.ballots = len(created), len(changed), len(ballots)
            report.ballots_per_ratee = [(*key, n) for key, n in per_ratee.items()]
            if dry_run:
                raise _Rollback
            bulk_create_with_history(created, Rating, batch_size=1000, default_user=actor, default_date=now)
            bulk_update_with_history(
                changed,
                Rating,
                ["scores", "total", "source", "entered_by", "version"],
                batch_size=1000,
                default_user=actor,
                default_date=now,
            )
            # No history for anonymous ballots: it would say when each arrived.
            Rating.objects.bulk_create(ballots, batch_size=1000)
    except _Rollback:
        pass
    except IntegrityError:
        # A rating for one of these rows was saved on the web while the file was read.
        report.new = report.updated = report.unchanged = report.ballots = report.ballots_entered = 0
        report.changes.clear()
        report.ballots_per_ratee.clear()
        report.errors.append(
            RowError(
                row=0,
                column="",
                message=_(
                    "Ratings were entered elsewhere while this file was imported. "
                    "Nothing was imported; import the file again."
                ),
            )
        )
    return report
