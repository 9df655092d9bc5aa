"""Warmth delivery (温暖传递): the member's responsibility area with the three fixes and
four guarantees of their post, their contact points, and the log of help given.

A member keeps their own; the committee of the member's branch (or an
administrator) may write for them too. A group leader reads, and writes nothing
here for others. A help record already logged answers to the branch it was
logged in, so only that branch's committee changes it afterwards.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, User
from members.roles import get_roles

from ..models import ContactPoint, HelpRecord, ResponsibilityArea
from . import ConcurrentEditError

Kind = HelpRecord.Kind

AREA_TEXT_FIELDS = (
    "description",
    "fixed_post",
    "fixed_duty",
    "fixed_targets",
    "guarantee_tasks",
    "guarantee_safety",
    "guarantee_management",
    "guarantee_stability",
)
FIXED_POST_MAX = ResponsibilityArea._meta.get_field("fixed_post").max_length
CONTACT_NAME_MAX = ContactPoint._meta.get_field("name").max_length
CONTACT_NO_MAX = ContactPoint._meta.get_field("employee_no").max_length
CONTACT_POST_MAX = ContactPoint._meta.get_field("post").max_length


def _stale(what: str) -> ConcurrentEditError:
    return ConcurrentEditError(
        _(
            "Someone else changed this %(what)s after you opened it. Your changes were not saved; "
            "reload the page to see the current record."
        )
        % {"what": what}
    )


def _clean(value: str | None) -> str:
    return (value or "").strip()


def warmth_can_edit(*, actor: User, member: Member) -> bool:
    """The member themselves, the committee of the member's branch, or an administrator."""
    roles = get_roles(actor)
    if roles.is_admin:
        return True
    if roles.member is not None and roles.member.pk == member.pk:
        return True
    return roles.committee_branch_id is not None and roles.committee_branch_id == member.branch_id


def help_record_can_edit(*, actor: User, record: HelpRecord) -> bool:
    """The member who gave the help, the committee of the branch it was logged in, or an administrator."""
    roles = get_roles(actor)
    if roles.is_admin:
        return True
    if roles.member is not None and roles.member.pk == record.member_id:
        return True
    return roles.committee_branch_id is not None and roles.committee_branch_id == record.branch_id


def _lock_member(*, actor: User, member_id: int) -> Member:
    member = Member.objects.select_for_update().get(pk=member_id)
    if not warmth_can_edit(actor=actor, member=member):
        raise PermissionDenied
    return member


# ---------------------------------------------------------------------------
# Responsibility area and the three fixes, four guarantees


@transaction.atomic
def responsibility_area_save(
    *,
    actor: User,
    member_id: int,
    version: int,
    description: str,
    fixed_post: str = "",
    fixed_duty: str = "",
    fixed_targets: str = "",
    guarantee_tasks: str = "",
    guarantee_safety: str = "",
    guarantee_management: str = "",
    guarantee_stability: str = "",
) -> ResponsibilityArea:
    """Write or rewrite the member's responsibility area.

    ``version`` is the area's version when the form was opened, 0 when there was none.
    """
    member = _lock_member(actor=actor, member_id=member_id)
    area = ResponsibilityArea.objects.select_for_update().filter(member=member).first()
    if version != (area.version if area is not None else 0):
        raise _stale(_("responsibility area"))
    values = {
        "description": description,
        "fixed_post": fixed_post,
        "fixed_duty": fixed_duty,
        "fixed_targets": fixed_targets,
        "guarantee_tasks": guarantee_tasks,
        "guarantee_safety": guarantee_safety,
        "guarantee_management": guarantee_management,
        "guarantee_stability": guarantee_stability,
    }
    values = {name: _clean(value) for name, value in values.items()}
    errors: dict[str, str] = {}
    if not values["description"]:
        errors["description"] = _("Describe the responsibility area.")
    if len(values["fixed_post"]) > FIXED_POST_MAX:
        errors["fixed_post"] = _("The post is longer than %(n)d characters.") % {"n": FIXED_POST_MAX}
    if errors:
        raise ValidationError(errors)
    if area is None:
        area = ResponsibilityArea(member=member, version=0)
    elif all(getattr(area, name) == value for name, value in values.items()):
        return area
    for name, value in values.items():
        setattr(area, name, value)
    area.version += 1
    area.updated_by = actor
    area._history_user = actor
    area.save()
    return area


# ---------------------------------------------------------------------------
# Contact points


def _check_contact(*, member: Member, name: str, employee_no: str, post: str, exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the employee's name.")
    elif len(name) > CONTACT_NAME_MAX:
        errors["name"] = _("The name is longer than %(n)d characters.") % {"n": CONTACT_NAME_MAX}
    if len(employee_no) > CONTACT_NO_MAX:
        errors["employee_no"] = _("The employee number is longer than %(n)d characters.") % {"n": CONTACT_NO_MAX}
    elif employee_no and employee_no == member.employee_no:
        errors["employee_no"] = _("A member does not look after themselves; give a colleague's employee number.")
    elif (
        employee_no
        and ContactPoint.objects.filter(member=member, employee_no=employee_no).exclude(pk=exclude_pk).exists()
    ):
        errors["employee_no"] = _("Employee %(no)s is already one of this member's contact points.") % {
            "no": employee_no
        }
    if len(post) > CONTACT_POST_MAX:
        errors["post"] = _("The post is longer than %(n)d characters.") % {"n": CONTACT_POST_MAX}
    if errors:
        raise ValidationError(errors)


def _save_contact(contact: ContactPoint, actor: User, employee_no: str) -> ContactPoint:
    contact._history_user = actor
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise ValidationError(
            {"employee_no": _("Employee %(no)s is already one of this member's contact points.") % {"no": employee_no}}
        ) from None
    return contact


@transaction.atomic
def contact_point_add(
    *, actor: User, member_id: int, name: str, employee_no: str = "", post: str = "", note: str = ""
) -> ContactPoint:
    member = _lock_member(actor=actor, member_id=member_id)
    name, employee_no, post, note = _clean(name), _clean(employee_no).upper(), _clean(post), _clean(note)
    _check_contact(member=member, name=name, employee_no=employee_no, post=post, exclude_pk=None)
    contact = ContactPoint(member=member, name=name, employee_no=employee_no, post=post, note=note)
    return _save_contact(contact, actor, employee_no)


@transaction.atomic
def contact_point_update(
    *,
    actor: User,
    contact_point_id: int,
    version: int,
    name: str,
    employee_no: str = "",
    post: str = "",
    note: str = "",
    is_active: bool = True,
) -> ContactPoint:
    """Change a contact point, or retire it (``is_active=False``) when the member no longer looks after them."""
    member_id = ContactPoint.objects.values_list("member_id", flat=True).get(pk=contact_point_id)
    member = _lock_member(actor=actor, member_id=member_id)
    contact = ContactPoint.objects.select_for_update().get(pk=contact_point_id)
    if contact.version != version:
        raise _stale(_("contact point"))
    name, employee_no, post, note = _clean(name), _clean(employee_no).upper(), _clean(post), _clean(note)
    _check_contact(member=member, name=name, employee_no=employee_no, post=post, exclude_pk=contact.pk)
    contact.name, contact.employee_no, contact.post, contact.note = name, employee_no, post, note
    contact.is_active = bool(is_active)
    contact.version += 1
    return _save_contact(contact, actor, employee_no)


# ---------------------------------------------------------------------------
# The help log


def _check_help(
    *,
    member: Member,
    kind: str,
    helped_on: datetime.date | None,
    content: str,
    contact_point_id: int | None,
    keep_contact_id: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of help: one of the five helps or the three works.")
    if helped_on is None:
        errors["helped_on"] = _("Give the date the help was given.")
    elif helped_on > timezone.localdate():
        errors["helped_on"] = _("Help is logged after it is given; the date cannot be in the future.")
    if not content:
        errors["content"] = _("Write what was done.")
    if contact_point_id is not None:
        contact = ContactPoint.objects.filter(pk=contact_point_id, member=member).first()
        if contact is None:
            errors["contact_point"] = _("Choose one of the member's own contact points.")
        elif not contact.is_active and contact.pk != keep_contact_id:
            errors["contact_point"] = _("%(name)s is no longer looked after by this member.") % {"name": contact.name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def help_record_add(
    *,
    actor: User,
    member_id: int,
    kind: str,
    helped_on: datetime.date,
    content: str,
    contact_point_id: int | None = None,
    outcome: str = "",
) -> HelpRecord:
    member = _lock_member(actor=actor, member_id=member_id)
    content, outcome = _clean(content), _clean(outcome)
    _check_help(member=member, kind=kind, helped_on=helped_on, content=content, contact_point_id=contact_point_id)
    record = HelpRecord(
        member=member,
        branch_id=member.branch_id,
        group_id=member.group_id,
        contact_point_id=contact_point_id,
        kind=kind,
        helped_on=helped_on,
        content=content,
        outcome=outcome,
        recorded_by=actor,
    )
    record._history_user = actor
    record.save()
    return record


def _lock_record(*, actor: User, record_id: int) -> HelpRecord:
    record = HelpRecord.objects.select_for_update().select_related("member").get(pk=record_id)
    if not help_record_can_edit(actor=actor, record=record):
        raise PermissionDenied
    return record


@transaction.atomic
def help_record_update(
    *,
    actor: User,
    record_id: int,
    version: int,
    kind: str,
    helped_on: datetime.date,
    content: str,
    contact_point_id: int | None = None,
    outcome: str = "",
) -> HelpRecord:
    record = _lock_record(actor=actor, record_id=record_id)
    if record.version != version:
        raise _stale(_("help record"))
    content, outcome = _clean(content), _clean(outcome)
    _check_help(
        member=record.member,
        kind=kind,
        helped_on=helped_on,
        content=content,
        contact_point_id=contact_point_id,
        keep_contact_id=record.contact_point_id,
    )
    record.kind, record.helped_on, record.content, record.outcome = kind, helped_on, content, outcome
    record.contact_point_id = contact_point_id
    record.version += 1
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def help_record_delete(*, actor: User, record_id: int) -> None:
    """Remove a help record logged in error; the history keeps it."""
    record = _lock_record(actor=actor, record_id=record_id)
    record._history_user = actor
    record.delete()
