"""Every write to the roster: member edits, login accounts, roster import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partybuild.lib.errors import DomainError
from partybuild.lib.xlsx import (
    COMMAND_MAX_BYTES,
    ROSTER_COMMAND_MAX_ROWS,
    ROSTER_WEB_MAX_ROWS,
    SPARE_COLUMNS,
    WEB_MAX_BYTES,
    SheetLimits,
    WorkbookError,
    read_sheet,
    write_dataset,
)

from .models import MassesRater, Member, User
from .resources import COLUMNS, REQUIRED_COLUMNS, MemberResource
from .roles import get_roles
from .selectors import member_can_edit

ROSTER_SHEET = "花名册"

# The roster's shape, for the checks every uploaded workbook passes before it is read. A
# roster longer than the web takes (it would outlast the request) goes through the command.
ROSTER_WEB_LIMITS = SheetLimits(
    max_rows=ROSTER_WEB_MAX_ROWS,
    max_columns=len(COLUMNS) + SPARE_COLUMNS,
    max_bytes=WEB_MAX_BYTES,
    too_long_hint=gettext_lazy("Import a roster this long on the server with the import_roster command."),
)
ROSTER_COMMAND_LIMITS = SheetLimits(
    max_rows=ROSTER_COMMAND_MAX_ROWS, max_columns=len(COLUMNS) + SPARE_COLUMNS, max_bytes=COMMAND_MAX_BYTES
)


class ConcurrentEditError(DomainError):
    """Someone else saved the record after this form was opened."""

    message = gettext_lazy(
        "Someone else changed this record after you opened it. Your changes were not saved; "
        "reload the page to see the current values."
    )


def _check_can_edit(*, actor: User, member: Member) -> None:
    if not member_can_edit(roles=get_roles(actor), member=member):
        raise PermissionDenied


@transaction.atomic
def member_create(*, actor: User, data: dict[str, Any]) -> Member:
    roles = get_roles(actor)
    member = Member(**data)
    if not roles.is_admin:
        if not roles.is_secretary:
            raise PermissionDenied
        # A secretary adds members to their own branch only.
        member.branch_id = roles.secretary_branch_id
        member.committee_role = Member.CommitteeRole.NONE
    member.full_clean()
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def member_update(*, actor: User, member_id: int, version: int, data: dict[str, Any]) -> Member:
    """Save an edit made on a form read at ``version``; refuse if the row moved on."""
    member = Member.objects.select_for_update().get(pk=member_id)
    _check_can_edit(actor=actor, member=member)
    if member.version != version:
        raise ConcurrentEditError
    roles = get_roles(actor)
    if not roles.is_admin:
        data = {k: v for k, v in data.items() if k not in {"branch", "committee_role"}}
    for name, value in data.items():
        setattr(member, name, value)
    member.full_clean()
    member.version += 1
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def member_set_login(*, actor: User, member_id: int, password: str) -> User:
    """Give a member a login (username = employee number) or reset its password."""
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member_id)
    _check_can_edit(actor=actor, member=member)
    user = member.user or User(username=member.employee_no)
    user.email = member.email
    validate_password(password, user)
    if user.pk is None and User.objects.filter(username=member.employee_no).exists():
        raise ValidationError({"password": _("A login named %(name)s already exists.") % {"name": member.employee_no}})
    user.set_password(password)
    user.is_active = True
    user.save()
    if member.user_id != user.pk:
        member.user = user
        member._history_user = actor
        member.save(update_fields=["user", "updated_at"])
    return user


# ---------------------------------------------------------------------------
# Masses raters: employees who are no Party members and rate the members they work with


def _check_keeps_raters(*, actor: User, branch_id: int) -> None:
    """The administrator keeps every branch's masses raters, a secretary their branch's."""
    roles = get_roles(actor)
    if not (roles.is_admin or roles.secretary_branch_id == branch_id):
        raise PermissionDenied


def _set_ratees(rater: MassesRater, ratee_ids: list[int] | None) -> None:
    if ratee_ids is None:
        return
    rater.clean_ratees(ratee_ids)
    ids = set(ratee_ids)
    if ids != set(rater.ratees.values_list("pk", flat=True)):
        rater.ratees.set(ids)


@transaction.atomic
def masses_rater_create(
    *, actor: User, branch_id: int, employee_no: str, name: str, ratee_ids: list[int]
) -> MassesRater:
    _check_keeps_raters(actor=actor, branch_id=branch_id)
    rater = MassesRater(branch_id=branch_id, employee_no=employee_no, name=name)
    rater.full_clean()
    rater._history_user = actor
    rater.save()
    _set_ratees(rater, ratee_ids)
    return rater


@transaction.atomic
def masses_rater_update(
    *, actor: User, rater_id: int, employee_no: str, name: str, ratee_ids: list[int] | None
) -> MassesRater:
    """Save the rater's record and the members they rate (the branch stays as it is)."""
    rater = MassesRater.objects.select_for_update().get(pk=rater_id)
    _check_keeps_raters(actor=actor, branch_id=rater.branch_id)
    rater.employee_no, rater.name = employee_no, name
    rater.full_clean()
    rater._history_user = actor
    rater.save()
    _set_ratees(rater, ratee_ids)
    return rater


@transaction.atomic
def masses_rater_set_login(*, actor: User, rater_id: int, password: str) -> User:
    """Give a masses rater a login (username = their employee number) or reset its
    password; a login that is a Party member's is refused (MassesRater.clean)."""
    rater = MassesRater.objects.select_for_update(of=("self",)).select_related("user").get(pk=rater_id)
    _check_keeps_raters(actor=actor, branch_id=rater.branch_id)
    user = rater.user or User(username=rater.employee_no)
    if user.pk is None and User.objects.filter(username=rater.employee_no).exists():
        raise ValidationError({"password": _("A login named %(name)s already exists.") % {"name": rater.employee_no}})
    rater.user = user if user.pk else None
    rater.full_clean()
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save()
    if rater.user_id != user.pk:
        rater.user = user
        rater._history_user = actor
        rater.save(update_fields=["user"])
    return user


@transaction.atomic
def masses_rater_set_active(*, actor: User, rater_id: int, active: bool) -> MassesRater:
    """Deactivate a rater (their link stops working, they drop off the paper template) or
    take them back; refused when they already are so."""
    rater = MassesRater.objects.select_for_update().get(pk=rater_id)
    _check_keeps_raters(actor=actor, branch_id=rater.branch_id)
    if rater.is_active == active:
        if active:
            raise DomainError(_("%(name)s is already active.") % {"name": rater.name})
        raise DomainError(_("%(name)s is already deactivated.") % {"name": rater.name})
    rater.is_active = active
    rater._history_user = actor
    rater.save(update_fields=["is_active"])
    return rater


# ---------------------------------------------------------------------------
# Roster import


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as Excel shows it (the header is row 1)
    column: str  # the column header, or "" when the whole row is at fault
    message: str


@dataclass
class RosterImportReport:
    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # (row, employee number, name, "new" / "update") of the rows that change something
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


class _Rollback(Exception):
    pass


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


def roster_import(
    *,
    file: IO[bytes],
    actor: User | None = None,
    dry_run: bool = False,
    limits: SheetLimits = ROSTER_WEB_LIMITS,
) -> RosterImportReport:
    """Import a roster workbook, all or nothing, once it has passed ``limits`` (the web's
    unless the caller is the ``import_roster`` command).

    Any bad row means nothing is written; the report lists every bad row with
    its Excel row number, column and reason. Rows equal to the database are
    left alone, so importing the same file twice changes nothing.
    """
    if actor is not None and not get_roles(actor).is_admin:
        raise PermissionDenied
    report = RosterImportReport(dry_run=dry_run)
    try:
        dataset = read_sheet(file, sheet=None, limits=limits)
    except WorkbookError as exc:
        report.errors.append(RowError(row=0, column="", message=str(exc)))
        return report
    missing = [COLUMNS[key] for key in REQUIRED_COLUMNS if COLUMNS[key] not in dataset.headers]
    if missing:
        report.errors.append(
            RowError(
                row=1,
                column="",
                message=_("The sheet lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            )
        )
        return report
    row_numbers = dataset.row_numbers
    resource = MemberResource()
    column_of = {name: f.column_name for name, f in resource.fields.items()}
    column_of.update(COLUMNS)

    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=True, raise_errors=False, user=actor
            )
            for error in result.base_errors:
                report.errors.extend(RowError(row=0, column="", message=m) for m in _messages(error.error))
            for invalid in result.invalid_rows:
                excel_row = row_numbers[invalid.number - 1]
                for name, messages in invalid.error_dict.items():
                    column = column_of.get(name, "")
                    report.errors.extend(RowError(row=excel_row, column=column, message=str(m)) for m in messages)
            for number, errors in result.row_errors():
                for error in errors:
                    report.errors.extend(
                        RowError(row=row_numbers[number - 1], column="", message=m) for m in _messages(error.error)
                    )
            employee_header, name_header = COLUMNS["employee_no"], COLUMNS["name"]
            for index, (row_result, values) in enumerate(zip(result.rows, dataset.dict, strict=True)):
                kind = row_result.import_type
                if kind == row_result.IMPORT_TYPE_NEW:
                    report.new += 1
                elif kind == row_result.IMPORT_TYPE_UPDATE:
                    report.updated += 1
                elif kind == row_result.IMPORT_TYPE_SKIP:
                    report.unchanged += 1
                    continue
                else:
                    continue
                report.changes.append(
                    (
                        row_numbers[index],
                        str(values.get(employee_header) or ""),
                        str(values.get(name_header) or ""),
                        kind,
                    )
                )
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        pass
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report


def roster_export(*, members) -> bytes:
    """The members as a roster workbook that imports back unchanged."""
    resource = MemberResource()
    dataset = resource.export(queryset=members.select_related("branch", "group").order_by("employee_no"))
    dataset.title = ROSTER_SHEET
    return write_dataset(dataset)
