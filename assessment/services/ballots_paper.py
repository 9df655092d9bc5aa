"""Paper ballots: the rating template written to Excel and the filled template read back.

The template is a sheet ``ratings`` with one row per expected rating — columns
``ratee_employee_no``, ``ratee_name``, ``rater_group`` (self / peer / masses / org)
and ``rater`` (the rater's employee number; for masses the ballot code, which does
not say who; blank for the organisation's one combined rating), then one column per
rubric item code — and a sheet ``rubric`` with each item's code, area, name and
maximum.

Anonymity: peer and masses ratings are anonymous, and the template is a paper
ballot that gets handed out. So the anonymous rows are never pre-filled with the
scores already given — a pre-filled peer row would show who gave what. Self and
organisation rows are not anonymous and carry the scores already given. On import
a row whose item cells are all blank means "not rated here": it is skipped and any
existing rating stays as it is, so the blank peer rows of a template never wipe
out ratings given on the web. A row with some cells blank is refused: a blank is
never a zero.

Importing is all or nothing: every row is checked with the web form's own
validation (``clean_scores``) and the same who-rates-whom rules, every bad row is
reported with its Excel row number, column and reason, and nothing is written
unless the whole file is good. A good row replaces that rating (source "paper");
a row equal to the stored rating is left alone, so importing a file twice changes
nothing the second time.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from xlsxwriter.utility import xl_rowcol_to_cell

from members.models import MassesRater, Member, User
from members.roles import get_roles
from members.services import RowError
from partybuild.lib.xlsx import WorkbookError, read_sheet

from ..models import MassesBallot, Period, RaterGroup, Rating, RubricItem
from . import AssessmentError
from .ratings import _new_code, clean_scores, rubric_items

RATINGS_SHEET = "ratings"
RUBRIC_SHEET = "rubric"
COL_RATEE = "ratee_employee_no"
COL_NAME = "ratee_name"
COL_GROUP = "rater_group"
COL_RATER = "rater"
KEY_COLUMNS = (COL_RATEE, COL_NAME, COL_GROUP, COL_RATER)
REQUIRED_KEY_COLUMNS = (COL_RATEE, COL_GROUP, COL_RATER)
RUBRIC_COLUMNS = ("code", "area", "name", "maximum", "guidance")
GROUP_VALUES = (RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG)
# Rows whose scores the template carries: the groups that are not anonymous.
PREFILLED_GROUPS = (RaterGroup.SELF, RaterGroup.ORG)
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
    rater_member_id: int | None = None
    rater_no: str = ""
    rater_masses_id: int | None = None


@dataclass
class _Roll:
    """The active members in template order, grouped into peer units, and their masses raters."""

    members: list[tuple[int, str, str, int, int | None]]
    units: dict[tuple[int, int | None], list[tuple[int, str, str, int, int | None]]]
    masses_of: dict[int, list[int]]

    @property
    def masses_rater_ids(self) -> set[int]:
        return {rater for raters in self.masses_of.values() for rater in raters}


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


def _expand(roll: _Roll) -> Iterator[ExpectedRating]:
    for pk, number, name, branch_id, group_id in roll.members:
        yield ExpectedRating(pk, number, name, RaterGroup.SELF, rater_member_id=pk, rater_no=number)
        for peer_pk, peer_no, _name, _b, _g in roll.units[(branch_id, group_id)]:
            if peer_pk != pk:
                yield ExpectedRating(pk, number, name, RaterGroup.PEER, rater_member_id=peer_pk, rater_no=peer_no)
        for rater_id in roll.masses_of.get(pk, ()):
            yield ExpectedRating(pk, number, name, RaterGroup.MASSES, rater_masses_id=rater_id)
        yield ExpectedRating(pk, number, name, RaterGroup.ORG)


def expected_ratings(*, branch_id: int | None = None) -> Iterator[ExpectedRating]:
    """Every rating the rules expect, ratee by ratee (in roster order): self, each peer,
    each linked masses rater, the organisation. Inactive members and raters take no part."""
    return _expand(_load_roll(branch_id))


# ---------------------------------------------------------------------------
# Ballot codes for masses raters


@transaction.atomic
def ballots_issue_missing(*, actor: User | None, period_id: int, rater_ids: Iterable[int]) -> dict[int, str]:
    """Give every listed masses rater who has no ballot for the period one (an administrator
    or a command). Returns rater id -> ballot code for each listed rater whose ballot is valid.

    Like ``ratings.ballot_issue`` without the per-rater branch check, in bulk: existing
    ballots are kept (their printed links and codes stay valid), new ones get a fresh token
    and a code from the same generator.
    """
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.state != Period.State.OPEN:
        raise AssessmentError(_("Rating is not open for %(period)s.") % {"period": period.name})
    wanted = set(rater_ids)
    have = set(MassesBallot.objects.filter(period=period).values_list("rater_id", flat=True))
    missing = sorted(wanted - have)
    # Codes are unique across all periods; draw again for the rare clash.
    for _attempt in range(10):
        if not missing:
            break
        codes: dict[int, str] = {}
        drawn: set[str] = set()
        for rater_id in missing:
            code = _new_code()
            while code in drawn:
                code = _new_code()
            drawn.add(code)
            codes[rater_id] = code
        taken: set[str] = set()
        for chunk in _chunks(drawn):
            taken.update(MassesBallot.objects.filter(code__in=chunk).values_list("code", flat=True))
        ballots = [
            MassesBallot(period=period, rater_id=rater_id, token=secrets.token_urlsafe(32), code=code, issued_by=actor)
            for rater_id, code in codes.items()
            if code not in taken
        ]
        # A ballot issued meanwhile through the web wins; ours for that rater is dropped.
        MassesBallot.objects.bulk_create(ballots, batch_size=1000, ignore_conflicts=True)
        have = set(MassesBallot.objects.filter(period=period).values_list("rater_id", flat=True))
        missing = sorted(wanted - have)
    if missing:  # pragma: no cover - ten clashes in a row in a space of 32**8 codes
        raise AssessmentError(_("Could not issue ballot codes; try again."))
    return {
        rater_id: code
        for rater_id, code in MassesBallot.objects.filter(period=period, revoked_at__isnull=True).values_list(
            "rater_id", "code"
        )
        if rater_id in wanted
    }


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
        period=period, ratee_id__in=ratee_ids, rater_group__in=PREFILLED_GROUPS
    ).values_list("ratee_id", "rater_group", "scores"):
        found[(ratee_id, group)] = scores
    return found


def rating_template_export(*, actor: User | None, period_id: int, out: IO[bytes], branch_id: int | None = None) -> int:
    """Write the period's rating template (all branches, or one) to ``out``; returns the
    number of rating rows. Masses raters without a ballot for the period are issued one,
    so that each masses row carries a code instead of a name."""
    _require_admin(actor)
    period = _open_period(period_id)
    items = rubric_items(period)
    roll = _load_roll(branch_id)
    codes = ballots_issue_missing(actor=actor, period_id=period.pk, rater_ids=roll.masses_rater_ids)
    # A withdrawn ballot cannot be imported, so its rows are not expected; the order of the
    # masses rows follows the codes, never the raters, so that it gives nobody away.
    for member_id, raters in roll.masses_of.items():
        roll.masses_of[member_id] = sorted((r for r in raters if r in codes), key=codes.__getitem__)

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
        ws.set_column(3, 3, 16, text)
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
                if expected.rater_group == RaterGroup.MASSES:
                    rater = codes[expected.rater_masses_id]
                else:
                    rater = expected.rater_no
                ws.write_string(row, 0, expected.ratee_no)
                ws.write_string(row, 1, expected.ratee_name)
                ws.write_string(row, 2, expected.rater_group)
                if rater:  # the organisation's row has no individual rater: the cell stays empty
                    ws.write_string(row, 3, rater)
                # Only self and organisation rows are looked up, so anonymous rows stay blank.
                given = scores_of.get((expected.ratee_id, expected.rater_group))
                if given:
                    for offset, item in enumerate(items):
                        if item.code in given:
                            ws.write_number(row, first_item_col + offset, float(given[item.code]))
            batch.clear()

        last_ratee = None
        for expected in _expand(roll):
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
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows left blank: not rated here
    errors: list[RowError] = field(default_factory=list)
    # (Excel row, ratee's employee number, ratee's name, rater group, "new" | "update");
    # never the rater, so that the preview shows no more than the counts per ratee.
    changes: list[tuple[int, str, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _PaperRow:
    row: int
    ratee_no: str
    group: str
    rater: str
    scores: dict[str, str] | None = None
    total: Decimal | None = None
    ratee_id: int | None = None
    ratee_name: str = ""
    rater_member_id: int | None = None
    rater_masses_id: int | None = None

    @property
    def key(self) -> tuple:
        return (self.ratee_id, self.group, self.rater_member_id, self.rater_masses_id)


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
    """Match each row's ratee and rater and check that the rules let them rate (a few
    queries per 500 distinct numbers or codes, never one per row)."""
    numbers = {r.ratee_no for r in rows if r.ratee_no}
    numbers |= {r.rater for r in rows if r.group in (RaterGroup.SELF, RaterGroup.PEER) and r.rater}
    members: dict[str, tuple[int, str, int, int | None, bool]] = {}
    for chunk in _chunks(numbers):
        for pk, number, name, branch_id, group_id, active in Member.objects.filter(employee_no__in=chunk).values_list(
            "pk", "employee_no", "name", "branch_id", "group_id", "is_active"
        ):
            members[number] = (pk, name, branch_id, group_id, active)
    ballot_codes = {r.rater.upper() for r in rows if r.group == RaterGroup.MASSES and r.rater}
    ballots: dict[str, tuple[int, bool, bool]] = {}
    for chunk in _chunks(ballot_codes):
        for code, rater_id, revoked_at, active in MassesBallot.objects.filter(
            period=period, code__in=chunk
        ).values_list("code", "rater_id", "revoked_at", "rater__is_active"):
            ballots[code] = (rater_id, revoked_at is not None, active)
    links: set[tuple[int, int]] = set()
    for chunk in _chunks({b[0] for b in ballots.values()}):
        links.update(
            MassesRater.ratees.through.objects.filter(massesrater_id__in=chunk).values_list(
                "massesrater_id", "member_id"
            )
        )

    def error(row: _PaperRow, column: str, message: str) -> None:
        report.errors.append(RowError(row=row.row, column=column, message=message))

    def member_or_error(row: _PaperRow, column: str, number: str):
        if not number:
            error(row, column, _("Give an employee number."))
            return None
        found = members.get(number)
        if found is None:
            error(row, column, _("No member has the employee number “%(number)s”.") % {"number": number})
            return None
        if not found[4]:
            error(
                row, column, _("%(name)s (%(number)s) is no longer on the roll.") % {"name": found[1], "number": number}
            )
            return None
        return found

    seen: dict[tuple, int] = {}
    for row in rows:
        ratee = member_or_error(row, COL_RATEE, row.ratee_no)
        if ratee is not None:
            row.ratee_id, row.ratee_name = ratee[0], ratee[1]
        if row.group not in GROUP_VALUES:
            error(
                row,
                COL_GROUP,
                _("“%(value)s” is not a rater group; write self, peer, masses or org.") % {"value": row.group},
            )
            continue
        if row.group == RaterGroup.SELF:
            if row.rater != row.ratee_no:
                error(
                    row,
                    COL_RATER,
                    _("In a self-rating the rater is the ratee: write %(number)s.") % {"number": row.ratee_no},
                )
            row.rater_member_id = row.ratee_id
        elif row.group == RaterGroup.PEER:
            rater = member_or_error(row, COL_RATER, row.rater)
            if rater is not None:
                row.rater_member_id = rater[0]
                if ratee is not None and not (rater[0] != ratee[0] and (rater[2], rater[3]) == (ratee[2], ratee[3])):
                    error(
                        row,
                        COL_RATER,
                        _(
                            "%(rater)s is not a peer of %(ratee)s: peers are the other members of the same "
                            "Party group (of the branch, for members without a group)."
                        )
                        % {"rater": row.rater, "ratee": row.ratee_no},
                    )
        elif row.group == RaterGroup.MASSES:
            code = row.rater.upper()
            ballot = ballots.get(code)
            if not code:
                error(row, COL_RATER, _("Give the masses rater's ballot code."))
            elif ballot is None:
                error(row, COL_RATER, _("“%(code)s” is not a ballot code of this period.") % {"code": row.rater})
            elif ballot[1]:
                error(row, COL_RATER, _("Ballot %(code)s has been withdrawn.") % {"code": code})
            elif not ballot[2]:
                error(row, COL_RATER, _("The holder of ballot %(code)s no longer rates.") % {"code": code})
            else:
                row.rater_masses_id = ballot[0]
                if ratee is not None and (ballot[0], ratee[0]) not in links:
                    error(
                        row,
                        COL_RATER,
                        _("Ballot %(code)s is not for rating %(ratee)s.") % {"code": code, "ratee": row.ratee_no},
                    )
        elif row.rater:
            error(
                row,
                COL_RATER,
                _("The organisation gives one combined rating: leave the rater blank."),
            )
        text_key = (row.ratee_no, row.group, row.rater.upper() if row.group != RaterGroup.ORG else "")
        if text_key in seen:
            error(row, "", _("The same rating is already in row %(row)d.") % {"row": seen[text_key]})
        else:
            seen[text_key] = row.row


def _existing(period: Period, rows: list[_PaperRow], *, lock: bool) -> dict[tuple, Rating]:
    found: dict[tuple, Rating] = {}
    for chunk in _chunks(sorted({r.ratee_id for r in rows})):
        qs = Rating.objects.filter(period=period, ratee_id__in=chunk).order_by("pk")
        if lock:
            qs = qs.select_for_update()
        for rating in qs:
            found[(rating.ratee_id, rating.rater_group, rating.rater_member_id, rating.rater_masses_id)] = rating
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
        dataset = read_sheet(file, sheet=RATINGS_SHEET)
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
            changed: list[Rating] = []
            for row in rows:
                rating = existing.get(row.key)
                if rating is not None and rating.scores == row.scores:
                    report.unchanged += 1
                    continue
                if rating is None:
                    rating = Rating(
                        period=period,
                        ratee_id=row.ratee_id,
                        rater_group=row.group,
                        rater_member_id=row.rater_member_id,
                        rater_masses_id=row.rater_masses_id,
                    )
                    created.append(rating)
                    kind = "new"
                else:
                    rating.version += 1
                    changed.append(rating)
                    kind = "update"
                rating.scores, rating.total = row.scores, row.total
                rating.source, rating.entered_by, rating.updated_at = Rating.Source.PAPER, actor, now
                report.changes.append((row.row, row.ratee_no, row.ratee_name, row.group, kind))
            report.new, report.updated = len(created), len(changed)
            if dry_run:
                raise _Rollback
            bulk_create_with_history(created, Rating, batch_size=1000, default_user=actor, default_date=now)
            bulk_update_with_history(
                changed,
                Rating,
                ["scores", "total", "source", "entered_by", "version", "updated_at"],
                batch_size=1000,
                default_user=actor,
                default_date=now,
            )
    except _Rollback:
        pass
    except IntegrityError:
        # A rating for one of these rows was saved on the web while the file was read.
        report.new = report.updated = report.unchanged = 0
        report.changes.clear()
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
