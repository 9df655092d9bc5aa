"""Pioneer posts (先锋示范岗) and four-bests recognitions (四个最).

Only the committee of the member's branch (secretary or committee member) or an
administrator designates, changes or ends a pioneer post and records or withdraws
a recognition. Designations of the same member's post and kind may not overlap:
each designation locks the member's row first, so two committee members saving
at once cannot both pass the overlap check.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, User
from members.roles import get_roles
from partybuild.lib.dates import EARLIEST_YEAR
from partybuild.lib.quarters import Quarter

from ..models import PioneerPost, Recognition
from . import ActivityError, ConcurrentEditError

Kind = PioneerPost.Kind
Best = Recognition.Best

POST_NAME_MAX = PioneerPost._meta.get_field("post_name").max_length
END_REASON_MAX = PioneerPost._meta.get_field("end_reason").max_length


def posts_can_manage(*, actor: User, branch_id: int) -> bool:
    """Administrators anywhere; a branch's secretary or committee member in their branch."""
    roles = get_roles(actor)
    return roles.is_admin or (roles.committee_branch_id is not None and roles.committee_branch_id == branch_id)


def _lock_member(*, actor: User, member_id: int) -> Member:
    """The member's row, locked (it serialises the overlap and duplicate checks), if the actor manages their branch."""
    member = Member.objects.select_for_update().get(pk=member_id)
    if not posts_can_manage(actor=actor, branch_id=member.branch_id):
        raise PermissionDenied
    return member


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _fmt(day: datetime.date) -> str:
    return day.isoformat()


def _check_period(
    *, kind: str, post_name: str, starts_on: datetime.date | None, ends_on: datetime.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose safety, management or efficiency.")
    if not post_name:
        errors["post_name"] = _("Name the post; the member has no post on the roster to take it from.")
    elif len(post_name) > POST_NAME_MAX:
        errors["post_name"] = _("The post is longer than %(n)d characters.") % {"n": POST_NAME_MAX}
    if starts_on is None:
        errors["starts_on"] = _("Give the first day of the designation.")
    if ends_on is None:
        errors["ends_on"] = _("Give the last day of the designation.")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end cannot be before the start (%(date)s).") % {"date": _fmt(starts_on)}
    return errors


def _overlap_error(
    *, member: Member, kind: str, starts_on: datetime.date, ends_on: datetime.date, exclude_pk: int | None = None
) -> str | None:
    clash = (
        PioneerPost.objects.filter(member=member, kind=kind, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(pk=exclude_pk)
        .order_by("starts_on")
        .first()
    )
    if clash is None:
        return None
    return _(
        "The post of %(name)s is already a %(kind)s from %(start)s to %(end)s; the periods of the same kind "
        "cannot overlap."
    ) % {
        "name": member.name,
        "kind": clash.get_kind_display(),
        "start": _fmt(clash.starts_on),
        "end": _fmt(clash.ends_on),
    }


@transaction.atomic
def pioneer_post_designate(
    *,
    actor: User,
    member_id: int,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    post_name: str = "",
    standards: str = "",
) -> PioneerPost:
    """Designate the member's post as a pioneer post; the post name defaults to the roster's."""
    member = _lock_member(actor=actor, member_id=member_id)
    post_name = _clean(post_name) or member.post.strip()
    errors = _check_period(kind=kind, post_name=post_name, starts_on=starts_on, ends_on=ends_on)
    if not member.is_active:
        errors["member"] = _("%(name)s is off the roll.") % {"name": member.name}
    if not errors:
        clash = _overlap_error(member=member, kind=kind, starts_on=starts_on, ends_on=ends_on)
        if clash:
            errors["starts_on"] = clash
    if errors:
        raise ValidationError(errors)
    post = PioneerPost(
        member=member,
        branch_id=member.branch_id,
        group_id=member.group_id,
        kind=kind,
        post_name=post_name,
        starts_on=starts_on,
        ends_on=ends_on,
        standards=_clean(standards),
        designated_by=actor,
    )
    post._history_user = actor
    post.save()
    return post


def _lock_post(post_id: int) -> tuple[PioneerPost, Member]:
    # The member's row first, as the designation does, so the overlap check is serialised.
    member_id = PioneerPost.objects.values_list("member_id", flat=True).get(pk=post_id)
    member = Member.objects.select_for_update().get(pk=member_id)
    return PioneerPost.objects.select_for_update().get(pk=post_id), member


@transaction.atomic
def pioneer_post_update(
    *,
    actor: User,
    post_id: int,
    version: int,
    kind: str,
    post_name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    standards: str = "",
) -> PioneerPost:
    post, member = _lock_post(post_id)
    if not posts_can_manage(actor=actor, branch_id=post.branch_id):
        raise PermissionDenied
    if post.version != version:
        raise ConcurrentEditError(
            _(
                "Someone else changed this pioneer post after you opened it. Your changes were not saved; "
                "reload the page to see the current record."
            )
        )
    if post.ended_early:
        raise ActivityError(_("This designation was ended early; it can no longer be changed."))
    post_name = _clean(post_name)
    errors = _check_period(kind=kind, post_name=post_name, starts_on=starts_on, ends_on=ends_on)
    if not errors:
        clash = _overlap_error(member=member, kind=kind, starts_on=starts_on, ends_on=ends_on, exclude_pk=post.pk)
        if clash:
            errors["starts_on"] = clash
    if errors:
        raise ValidationError(errors)
    post.kind, post.post_name, post.starts_on, post.ends_on = kind, post_name, starts_on, ends_on
    post.standards = _clean(standards)
    post.version += 1
    post._history_user = actor
    post.save()
    return post


@transaction.atomic
def pioneer_post_end(*, actor: User, post_id: int, ended_on: datetime.date, reason: str) -> PioneerPost:
    """End a designation before its planned end; the planned end is kept beside it."""
    post, _member = _lock_post(post_id)
    if not posts_can_manage(actor=actor, branch_id=post.branch_id):
        raise PermissionDenied
    if post.ended_early:
        raise ActivityError(_("This designation has already been ended."))
    errors: dict[str, str] = {}
    reason = _clean(reason)
    if not reason:
        errors["reason"] = _("Say why the designation ends.")
    elif len(reason) > END_REASON_MAX:
        errors["reason"] = _("The reason is longer than %(n)d characters.") % {"n": END_REASON_MAX}
    if ended_on is None:
        errors["ended_on"] = _("Give the last day of the designation.")
    elif ended_on < post.starts_on:
        errors["ended_on"] = _("The designation cannot end before it starts (%(date)s).") % {
            "date": _fmt(post.starts_on)
        }
    elif ended_on >= post.ends_on:
        errors["ended_on"] = _("The designation already ends on %(date)s; choose an earlier day.") % {
            "date": _fmt(post.ends_on)
        }
    if errors:
        raise ValidationError(errors)
    post.planned_ends_on = post.ends_on
    post.ends_on = ended_on
    post.end_reason = reason
    post.version += 1
    post._history_user = actor
    post.save(update_fields=["planned_ends_on", "ends_on", "end_reason", "version", "updated_at"])
    return post


# ---------------------------------------------------------------------------
# Four-bests recognitions


def recognition_period_start(*, year: int, quarter: int) -> datetime.date:
    if quarter == Recognition.WHOLE_YEAR:
        return datetime.date(year, 1, 1)
    return Quarter(year, quarter).first_day


@transaction.atomic
def recognition_record(
    *,
    actor: User,
    member_id: int,
    best: str,
    year: int,
    quarter: int,
    awarded_on: datetime.date,
    note: str = "",
) -> Recognition:
    """Record one of the four bests given to a member for a quarter (1–4) or the whole year (0)."""
    member = _lock_member(actor=actor, member_id=member_id)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if best not in Best.values:
        errors["best"] = _("Choose which of the four bests is given.")
    if quarter not in {value for value, _label in Recognition.QUARTER_CHOICES}:
        errors["quarter"] = _("Choose a quarter or the whole year.")
    if year is None or not EARLIEST_YEAR <= year <= today.year:
        errors["year"] = _("Give a year between %(first)d and %(last)d.") % {"first": EARLIEST_YEAR, "last": today.year}
    if not errors:
        start = recognition_period_start(year=year, quarter=quarter)
        if start > today:
            errors["quarter"] = _("That period has not begun yet.")
    if awarded_on is None:
        errors["awarded_on"] = _("Give the date of the recognition.")
    elif awarded_on > today:
        errors["awarded_on"] = _("The date cannot be in the future.")
    elif not errors and awarded_on < start:
        errors["awarded_on"] = _("The date cannot be before the period it is for begins (%(date)s).") % {
            "date": _fmt(start)
        }
    if not member.is_active:
        errors["member"] = _("%(name)s is off the roll.") % {"name": member.name}
    if not errors and Recognition.objects.filter(member=member, best=best, year=year, quarter=quarter).exists():
        errors["best"] = _("%(name)s already has this recognition for that period.") % {"name": member.name}
    if errors:
        raise ValidationError(errors)
    recognition = Recognition(
        member=member,
        branch_id=member.branch_id,
        group_id=member.group_id,
        best=best,
        year=year,
        quarter=quarter,
        awarded_on=awarded_on,
        note=_clean(note),
        awarded_by=actor,
    )
    recognition._history_user = actor
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError:
        raise ValidationError(
            {"best": _("%(name)s already has this recognition for that period.") % {"name": member.name}}
        ) from None
    return recognition


@transaction.atomic
def recognition_withdraw(*, actor: User, recognition_id: int) -> None:
    """Take back a recognition recorded in error; the history keeps it."""
    recognition = Recognition.objects.select_for_update().get(pk=recognition_id)
    if not posts_can_manage(actor=actor, branch_id=recognition.branch_id):
        raise PermissionDenied
    recognition._history_user = actor
    recognition.delete()
