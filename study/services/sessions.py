"""Study sessions: planning them and taking attendance."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from members.models import Member, User
from members.roles import get_roles
from partybuild.lib.dates import record_year_error

from ..models import Attendance, MeetingRule, StudySession
from ..selectors.compliance import may_also_count
from . import StudyError


class ConcurrentSessionEditError(StudyError):
    """The page was read at an older version than the session now has."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this %(what)s after you opened it. Your changes were not saved; "
                "reload the page to see the current record."
            )
            % {"what": StudySession._meta.verbose_name}
        )


def _check_version(session: StudySession, version: int | None) -> None:
    if version is not None and session.version != version:
        raise ConcurrentSessionEditError


def session_can_manage(*, actor: User, branch_id: int, group_id: int | None = None, kind: str | None = None) -> bool:
    """Administrators, the branch committee, and a group leader for their own group's meetings
    (never a branch committee meeting: that is the committee's own)."""
    roles = get_roles(actor)
    if roles.is_admin or roles.committee_branch_id == branch_id:
        return True
    if kind == StudySession.Kind.COMMITTEE:
        return False
    return group_id is not None and group_id in roles.led_group_ids


def _check_manage(actor: User, session: StudySession) -> None:
    if not session_can_manage(actor=actor, branch_id=session.branch_id, group_id=session.group_id, kind=session.kind):
        raise PermissionDenied


def _validate(session: StudySession) -> None:
    errors = {}
    if year_error := record_year_error(session.starts_at):
        errors["starts_at"] = year_error  # year 1 cannot even be stored: in UTC it is before year 1
    if session.group_id is not None and session.audience != StudySession.Audience.GROUP:
        session.group = None
    if errors:
        raise ValidationError(errors)
    session.full_clean()  # the audience rules are the model's (StudySession.clean), the admin's too


@transaction.atomic
def session_create(
    *,
    actor: User,
    data: dict[str, Any],
    assigned: list[Member] | None = None,
    also_counts_for: list[MeetingRule] | None = None,
) -> StudySession:
    """Plan a session; ``also_counts_for`` are the other requirements (三会一课) it also meets."""
    session = StudySession(created_by=actor, **data)
    _check_manage(actor, session)
    _validate(session)
    # Again once validated: the group is dropped for an audience other than one group, and a
    # group leader plans only their own group's meetings.
    _check_manage(actor, session)
    _check_also_counts_for(session, also_counts_for or [])
    session._history_user = actor
    session.save()
    if assigned:
        _check_assigned(session, assigned)
        session.assigned_members.set(assigned)
    if also_counts_for:
        session.also_counts_for.set(also_counts_for)
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session_id: int,
    data: dict[str, Any],
    assigned: list[Member] | None = None,
    also_counts_for: list[MeetingRule] | None = None,
    version: int | None = None,
) -> StudySession:
    """Save an edit of the plan; ``version`` is the session's when the form was read.
    ``assigned`` and ``also_counts_for`` replace the lists where given (None keeps them)."""
    session = StudySession.objects.select_for_update().get(pk=session_id)
    _check_manage(actor, session)
    _check_version(session, version)
    data = {k: v for k, v in data.items() if k != "branch"}
    for name, value in data.items():
        setattr(session, name, value)
    _check_manage(actor, session)
    _validate(session)
    _check_manage(actor, session)
    if also_counts_for is None:
        # Kept as they are, unless the new kind or audience no longer allows one.
        kept = list(session.also_counts_for.all())
        _check_also_counts_for(session, kept)
    else:
        _check_also_counts_for(session, also_counts_for)
    session.version += 1
    session._history_user = actor
    session.save()
    if assigned is not None:
        _check_assigned(session, assigned)
        session.assigned_members.set(assigned)
    if also_counts_for is not None:
        session.also_counts_for.set(also_counts_for)
    return session


def _check_also_counts_for(session: StudySession, rules: list[MeetingRule]) -> None:
    """Each rule must allow a session of this kind and audience to count for it (see
    study.selectors.compliance.may_also_count); never the session's own kind."""
    refused = [
        rule
        for rule in rules
        if not rule.is_active or not may_also_count(rule, kind=session.kind, audience=session.audience)
    ]
    if refused:
        raise ValidationError(
            {
                "also_counts_for": _(
                    "This meeting cannot also count as %(meetings)s: a meeting counts for another requirement "
                    "only where that requirement allows it and the meeting has the people it wants "
                    "(never for its own kind)."
                )
                % {"meetings": "、".join(str(rule.short_label) for rule in refused)}
            }
        )


def _check_assigned(session: StudySession, assigned: list[Member]) -> None:
    if any(m.branch_id != session.branch_id for m in assigned):
        raise ValidationError({"assigned_members": _("Only members of the session's branch can be assigned.")})


def expected_attendees(session: StudySession):
    """The members who must attend: the audience plus anyone assigned individually."""
    audience = Member.objects.none()
    if session.audience == StudySession.Audience.BRANCH:
        audience = Member.objects.filter(branch_id=session.branch_id, is_active=True)
    elif session.audience == StudySession.Audience.GROUP:
        audience = Member.objects.filter(group_id=session.group_id, is_active=True)
    elif session.audience == StudySession.Audience.COMMITTEE:
        audience = Member.objects.filter(branch_id=session.branch_id, is_active=True).exclude(
            committee_role=Member.CommitteeRole.NONE
        )
    assigned_ids = session.assigned_members.values("pk")
    return (Member.objects.filter(pk__in=audience.values("pk")) | Member.objects.filter(pk__in=assigned_ids)).order_by(
        "group__sort_order", "employee_no"
    )


@transaction.atomic
def attendance_record(
    *, actor: User, session_id: int, marks: dict[int, tuple[str, str]], version: int | None = None
) -> int:
    """Record attendance for the whole list at once: member id -> (status, reason).

    Every expected member must be marked; absence and leave need a reason.
    Rows are upserted, so recording again corrects the earlier marks; ``version`` is the
    session's when the list was read, so a list read before another save is refused.
    """
    session = StudySession.objects.select_for_update().get(pk=session_id)
    _check_manage(actor, session)
    _check_version(session, version)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be taken once the session has started."))
    expected = set(expected_attendees(session).values_list("pk", flat=True))
    unknown = set(marks) - expected
    if unknown:
        raise ValidationError(_("Some members marked are not expected at this session."))
    missing = expected - set(marks)
    if missing:
        raise ValidationError(_("Mark every member on the list: %(n)d are not marked.") % {"n": len(missing)})
    errors = []
    for status, reason in marks.values():
        if status not in Attendance.Status.values:
            errors.append(_("Choose present, excused or absent."))
        elif status != Attendance.Status.PRESENT and not reason.strip():
            errors.append(_("Give the reason for each member who is excused or absent."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    existing = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    new, changed = [], []
    for member_id, (status, reason) in marks.items():
        reason = reason.strip() if status != Attendance.Status.PRESENT else ""
        row = existing.get(member_id)
        if row is None:
            new.append(Attendance(session=session, member_id=member_id, status=status, reason=reason))
        elif (row.status, row.reason) != (status, reason):
            row.status, row.reason = status, reason
            changed.append(row)
    # With their history rows (who and when), a few statements for the whole list.
    bulk_create_with_history(new, Attendance, default_user=actor)
    bulk_update_with_history(changed, Attendance, ["status", "reason"], default_user=actor)
    Attendance.objects.filter(session=session).exclude(member_id__in=expected).delete()
    session.attendance_taken_at = timezone.now()
    session.version += 1
    session._history_user = actor
    session.save(update_fields=["attendance_taken_at", "version"])
    return len(new) + len(changed)
