"""The filled rating template read back: all or nothing, every row checked with the web
form's validation and the who-rates-whom rules (see the package's docstring)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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

from ...models import ANONYMOUS_GROUPS, Period, RaterGroup, Rating, RubricItem
from ..ratings import clean_scores, rubric_items
from .sheet import (
    BALLOT_LETTER,
    COL_BALLOT,
    COL_GROUP,
    COL_RATEE,
    COL_RATER,
    GROUP_LABELS,
    GROUP_OF_TEXT,
    GROUP_VALUES,
    KEY_COLUMNS,
    LEGACY_COLUMNS,
    LEGACY_RATINGS_SHEET,
    NAMED_GROUPS,
    RATINGS_SHEET,
    REQUIRED_KEY_COLUMNS,
    ballot_number,
    chunks,
    paper_groups,
    require_paper_scope,
)


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


def _group(value: object) -> str:
    """The rater group a cell names: its Chinese label, or an older template's code."""
    text = _text(value)
    return GROUP_OF_TEXT.get(text) or GROUP_OF_TEXT.get(text.lower(), text)


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
            group=_group(values[index[COL_GROUP]]),
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


def _resolve(
    period: Period,
    rows: list[_PaperRow],
    report: RatingsImportReport,
    *,
    branch_id: int | None = None,
    actor: User | None = None,
) -> None:
    """Match each row's ratee and check its rater or ballot against the rules (a few
    queries per 500 distinct numbers, never one per row). With ``branch_id`` only that
    branch's members are found: another branch's member is as unknown as a wrong number."""
    roster = Member.objects.all() if branch_id is None else Member.objects.filter(branch_id=branch_id)
    members: dict[str, tuple[int, str, int, int | None, bool]] = {}
    for chunk in chunks({r.ratee_no for r in rows if r.ratee_no}):
        for pk, number, name, branch, group_id, active in roster.filter(employee_no__in=chunk).values_list(
            "pk", "employee_no", "name", "branch_id", "group_id", "is_active"
        ):
            members[number] = (pk, name, branch, group_id, active)
    # Nobody judges themselves: a secretary does not type in their own organisation rating.
    own_member_id = None
    if actor is not None and branch_id is not None and (own := get_roles(actor).member) is not None:
        own_member_id = own.pk
    # How many ballots each ratee has, per group: one per peer, one per linked masses rater.
    ratee_ids = [m[0] for m in members.values()]
    masses_count: dict[int, int] = {}
    for chunk in chunks(ratee_ids):
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
    paper = paper_groups(period)

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
                _("“%(value)s” is not a rater group; write one of: %(groups)s.")
                % {"value": row.group, "groups": "、".join(GROUP_LABELS[group] for group in GROUP_VALUES)},
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
            elif row.group == RaterGroup.ORG and own_member_id is not None and row.ratee_id == own_member_id:
                error(
                    row,
                    COL_GROUP,
                    _("Your own organisation rating is entered by the administrator: leave this row blank."),
                )
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
    for chunk in chunks(sorted({r.ratee_id for r in rows})):
        qs = Rating.objects.filter(period=period, ratee_id__in=chunk).order_by("pk")
        if lock:
            qs = qs.select_for_update()
        for rating in qs.filter(Q(rater_group__in=NAMED_GROUPS) | Q(ballot_no__isnull=False)):
            found[(rating.ratee_id, rating.rater_group, rating.ballot_no)] = rating
    return found


class Rollback(Exception):
    pass


def ratings_import(
    *,
    period_id: int,
    file: IO[bytes],
    actor: User | None = None,
    dry_run: bool = False,
    branch_id: int | None = None,
) -> RatingsImportReport:
    """Import a filled rating template for the period, all or nothing (see the module's
    docstring for the rules). ``actor`` is the administrator or a branch secretary (with
    ``branch_id``, their branch: a row of another branch's member is refused), None for a
    command."""
    require_paper_scope(actor, branch_id)
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
        dataset = read_sheet(file, sheet=(RATINGS_SHEET, LEGACY_RATINGS_SHEET), limits=limits)
    except WorkbookError as exc:
        report.errors.append(RowError(row=0, column="", message=str(exc)))
        return report
    # An older template's English headers read as today's (where today's is not there too).
    dataset.headers = [
        LEGACY_COLUMNS[h] if h in LEGACY_COLUMNS and LEGACY_COLUMNS[h] not in dataset.headers else h
        for h in dataset.headers
    ]
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
    _resolve(period, rows, report, branch_id=branch_id, actor=actor)
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
                    raise Rollback
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
                raise Rollback
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
    except Rollback:
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
