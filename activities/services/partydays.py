"""Themed Party days (主题党日): the plan, its participants with attendance and roles,
the reports and talks of an interactive day, each participant's reflection, photos.

planned --record attendance (from the day on)--> held
planned --cancel--> cancelled

The branch committee (or an administrator) plans and records a day; a participant
who was present writes their own reflection. Every write locks the day's row, checks
the actor and the day's state, and the plan and the participant list carry a version
so that a concurrent edit is refused instead of overwriting.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from members.models import Member, User
from members.roles import get_roles
from study.models import MeetingRule

from ..models import PartyDay, PartyDayContribution, PartyDayLog, PartyDayParticipant, PartyDayPhoto
from . import ActivityError, ConcurrentEditError

Status = PartyDay.Status
Kind = PartyDay.Kind
Attendance = PartyDayParticipant.Attendance

COMMITTEE, PARTICIPANT = "committee", "participant"

# (action, source state) -> (target state, who may do it). A pair not listed is refused.
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("edit", Status.PLANNED): (Status.PLANNED, COMMITTEE),
    ("edit", Status.HELD): (Status.HELD, COMMITTEE),
    ("record", Status.PLANNED): (Status.HELD, COMMITTEE),
    ("record", Status.HELD): (Status.HELD, COMMITTEE),
    ("cancel", Status.PLANNED): (Status.CANCELLED, COMMITTEE),
    ("contribute", Status.HELD): (Status.HELD, COMMITTEE),
    ("photo", Status.PLANNED): (Status.PLANNED, COMMITTEE),
    ("photo", Status.HELD): (Status.HELD, COMMITTEE),
    ("reflect", Status.HELD): (Status.HELD, PARTICIPANT),
}

ACTION_VERBS = {
    "edit": gettext_lazy("edited"),
    "record": gettext_lazy("recorded"),
    "cancel": gettext_lazy("cancelled"),
    "contribute": gettext_lazy("given reports or talks"),
    "photo": gettext_lazy("given photos"),
    "reflect": gettext_lazy("given reflections"),
}

ROLE_REFUSALS = {
    COMMITTEE: gettext_lazy("Only the branch's secretary or committee members (or an administrator) can do this."),
    PARTICIPANT: gettext_lazy("Only a participant who was present writes a reflection, and only their own."),
}

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
PHOTOS_PER_DAY = 30

THEME_MAX = PartyDay._meta.get_field("theme").max_length
PLACE_MAX = PartyDay._meta.get_field("place").max_length
DESTINATION_MAX = PartyDay._meta.get_field("destination").max_length
TEXT_MAX = 5000


def can_manage(*, actor: User, branch_id: int) -> bool:
    """Administrators anywhere; a branch's secretary or committee member in their branch."""
    roles = get_roles(actor)
    return roles.is_admin or roles.committee_branch_id == branch_id


def allowed_actions(*, actor: User, day: PartyDay, participant: PartyDayParticipant | None = None) -> set[str]:
    """What the actor can do with the day now (for showing buttons)."""
    manage = can_manage(actor=actor, branch_id=day.branch_id)
    result = set()
    for (action, source), (_target, role) in TRANSITIONS.items():
        if source != day.status:
            continue
        if role == COMMITTEE and manage:
            result.add(action)
        elif role == PARTICIPANT and participant is not None and participant.attendance == Attendance.PRESENT:
            result.add(action)
    if "contribute" in result and day.kind != Kind.INTERACTIVE:
        result.discard("contribute")
    return result


def _lock(day_id: int) -> PartyDay:
    try:
        return PartyDay.objects.select_for_update().get(pk=day_id)
    except PartyDay.DoesNotExist:
        raise ActivityError(_("The Party day does not exist.")) from None


def _check(*, action: str, actor: User, day: PartyDay) -> str:
    """The target state of the move; ActivityError when the state or the actor does not allow it."""
    entry = TRANSITIONS.get((action, day.status))
    if entry is None:
        raise ActivityError(
            _("A Party day that is “%(status)s” cannot be %(action)s.")
            % {"status": day.get_status_display(), "action": ACTION_VERBS[action]}
        )
    target, role = entry
    if role == COMMITTEE and not can_manage(actor=actor, branch_id=day.branch_id):
        raise ActivityError(ROLE_REFUSALS[COMMITTEE])
    return target


def _check_version(day: PartyDay, version: int | None) -> None:
    if version is not None and day.version != version:
        raise ConcurrentEditError(
            _(
                "Someone else changed this Party day after you opened it. Nothing was saved; "
                "reload the page to see the current version."
            )
        )


def _save(day: PartyDay, actor: User, fields: Iterable[str]) -> None:
    day.version += 1
    day._history_user = actor
    day.save(update_fields=["version", "updated_at", *fields])


def _log(*, day: PartyDay, actor: User, action: str, from_status: str, comment: str = "") -> PartyDayLog:
    return PartyDayLog.objects.create(
        party_day=day, actor=actor, action=action, from_status=from_status, to_status=day.status, comment=comment
    )


def _clean(value: str | None) -> str:
    return (value or "").strip()


# ---------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class PlanInput:
    kind: str
    theme: str
    held_on: datetime.date | None
    place: str
    destination_kind: str = ""
    destination: str = ""
    planned_roles: tuple[str, ...] = ()
    plan: str = ""


def _clean_plan(data: PlanInput) -> dict:
    errors: dict[str, str] = {}
    values = {
        "kind": data.kind,
        "theme": _clean(data.theme),
        "held_on": data.held_on,
        "place": _clean(data.place),
        "destination_kind": data.destination_kind or "",
        "destination": _clean(data.destination),
        "planned_roles": [r for r in PartyDay.Role.values if r in set(data.planned_roles)],
        "plan": _clean(data.plan),
    }
    if values["kind"] not in Kind.values:
        errors["kind"] = _("Choose the kind of Party day.")
    if not values["theme"]:
        errors["theme"] = _("Give the day its theme.")
    elif len(values["theme"]) > THEME_MAX:
        errors["theme"] = _("The theme is longer than %(n)d characters.") % {"n": THEME_MAX}
    if values["held_on"] is None:
        errors["held_on"] = _("Give the date of the day.")
    if not values["place"]:
        errors["place"] = _("Say where the day takes place.")
    elif len(values["place"]) > PLACE_MAX:
        errors["place"] = _("The place is longer than %(n)d characters.") % {"n": PLACE_MAX}
    if len(values["destination"]) > DESTINATION_MAX:
        errors["destination"] = _("The destination is longer than %(n)d characters.") % {"n": DESTINATION_MAX}
    if len(values["plan"]) > TEXT_MAX:
        errors["plan"] = _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}
    if set(data.planned_roles) - set(PartyDay.Role.values):
        errors["planned_roles"] = _("Choose roles from the list.")
    if values["kind"] == Kind.OPEN:
        if values["destination_kind"] not in PartyDay.Destination.values:
            errors["destination_kind"] = _("An open Party day visits somewhere: choose the kind of destination.")
        if not values["destination"]:
            errors["destination"] = _("Name the team, site or unit the members visit.")
    else:
        values["destination_kind"], values["destination"] = "", ""
    if values["kind"] == Kind.EXPERIENTIAL:
        if not values["planned_roles"]:
            errors["planned_roles"] = _("An experiential Party day needs at least one role for members to take.")
    else:
        values["planned_roles"] = []
    if errors:
        raise ValidationError(errors)
    return values


def _branch_members(*, branch_id: int, ids: Iterable[int], keep: set[int]) -> list[int]:
    """The ids, checked: each one an active member of the branch, or already on the day."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    valid = set(Member.objects.filter(pk__in=wanted, branch_id=branch_id, is_active=True).values_list("pk", flat=True))
    bad = [pk for pk in wanted if pk not in valid and pk not in keep]
    if bad:
        raise ValidationError({"participants": _("Only active members of the day's branch can take part.")})
    if not wanted:
        raise ValidationError({"participants": _("Choose who takes part.")})
    return wanted


def _check_counts_for(rules: list[MeetingRule], errors: dict) -> None:
    """三会一课: a day counts only for a requirement in force that may be met with another meeting."""
    if refused := "、".join(str(r.short_label) for r in rules if not (r.is_active and r.may_combine)):
        message = _("A Party day cannot count as %(meetings)s: the rules do not let another meeting count for it.")
        errors["counts_for"] = [message % {"meetings": refused}]


@transaction.atomic
def partyday_create(
    *, actor: User, branch_id: int, plan: PlanInput, participant_ids: Iterable[int], counts_for: Iterable = ()
) -> PartyDay:
    """Plan a day; ``counts_for`` are the required meetings (三会一课) it is also held as."""
    if not can_manage(actor=actor, branch_id=branch_id):
        raise ActivityError(ROLE_REFUSALS[COMMITTEE])
    errors: dict = {}
    try:
        values = _clean_plan(plan)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        members = _branch_members(branch_id=branch_id, ids=participant_ids, keep=set())
    except ValidationError as exc:
        errors.update(exc.message_dict)
    counts_for = list(counts_for)
    _check_counts_for(counts_for, errors)
    if errors:
        raise ValidationError(errors)
    day = PartyDay(branch_id=branch_id, created_by=actor, **values)
    day._history_user = actor
    day.save()
    PartyDayParticipant.objects.bulk_create([PartyDayParticipant(party_day=day, member_id=pk) for pk in members])
    if counts_for:
        day.counts_for.set(counts_for)
    _log(day=day, actor=actor, action="plan", from_status="")
    return day


@transaction.atomic
def partyday_update(
    *,
    actor: User,
    party_day_id: int,
    version: int,
    plan: PlanInput,
    participant_ids: Iterable[int],
    counts_for: Iterable[MeetingRule] | None = None,
) -> PartyDay:
    """Change the plan, who takes part and (where given) the required meetings the day counts
    as. A participant who has written a reflection or has a report or talk recorded stays on
    the day."""
    day = _lock(party_day_id)
    _check(action="edit", actor=actor, day=day)
    _check_version(day, version)
    errors: dict = {}
    try:
        values = _clean_plan(plan)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if day.status == Status.HELD and plan.kind != day.kind:
        errors["kind"] = [_("The kind of a day already held cannot change.")]
    current = {p.member_id: p for p in day.participants.all()}
    try:
        members = _branch_members(branch_id=day.branch_id, ids=participant_ids, keep=set(current))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        members = list(current)
    removed = set(current) - set(members)
    contributed = set(day.contributions.values_list("member_id", flat=True))
    kept = [current[pk].member for pk in removed if current[pk].reflection or pk in contributed]
    if kept:
        errors.setdefault("participants", []).append(
            _("These participants have a reflection or a report on record and stay on the day: %(names)s.")
            % {"names": "、".join(m.name for m in kept)}
        )
    if counts_for is not None:
        counts_for = list(counts_for)
        _check_counts_for(counts_for, errors)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(day, name, value)
    if counts_for is not None:
        day.counts_for.set(counts_for)
    if removed:
        PartyDayParticipant.objects.filter(party_day=day, member_id__in=removed).delete()
    added = [pk for pk in members if pk not in current]
    PartyDayParticipant.objects.bulk_create([PartyDayParticipant(party_day=day, member_id=pk) for pk in added])
    _save(day, actor, values.keys())
    return day


@transaction.atomic
def partyday_cancel(*, actor: User, party_day_id: int, version: int, reason: str) -> PartyDay:
    day = _lock(party_day_id)
    target = _check(action="cancel", actor=actor, day=day)
    _check_version(day, version)
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the day is cancelled.")})
    from_status = day.status
    day.status = target
    _save(day, actor, ["status"])
    _log(day=day, actor=actor, action="cancel", from_status=from_status, comment=reason)
    return day


# ---------------------------------------------------------------------------
# Attendance and roles: one page for the whole list


@dataclass(frozen=True)
class ParticipantMark:
    member_id: int
    attendance: str = ""
    reason: str = ""
    role: str = ""
    role_detail: str = ""


@transaction.atomic
def partyday_record(
    *,
    actor: User,
    party_day_id: int,
    version: int,
    marks: list[ParticipantMark],
    summary: str | None = None,
    today: datetime.date | None = None,
) -> PartyDay:
    """Save attendance (and, on an experiential day, each one's role) for the whole list.

    Before the day only roles can be set; from the day on everyone's attendance must be
    given, and the first time it is, the day is held.
    """
    day = _lock(party_day_id)
    target = _check(action="record", actor=actor, day=day)
    _check_version(day, version)
    today = today or timezone.localdate()
    rows = {p.member_id: p for p in day.participants.select_related("member")}
    by_member = {m.member_id: m for m in marks}
    if set(by_member) - set(rows):
        raise ActivityError(_("Someone in the form is not a participant of this day."))
    taking_attendance = any(m.attendance for m in marks)
    errors: dict[str, list[str]] = {}
    if taking_attendance and day.held_on > today:
        raise ActivityError(_("Attendance can be taken from the day itself on, not before."))
    if day.held_on <= today and not all(by_member.get(pk) and by_member[pk].attendance for pk in rows):
        errors["attendance"] = [_("Mark every participant present, excused or absent.")]
    changed: list[PartyDayParticipant] = []
    for pk, row in rows.items():
        mark = by_member.get(pk)
        if mark is None:
            continue
        if mark.attendance and mark.attendance not in Attendance.values:
            errors.setdefault("attendance", []).append(_("Choose present, excused or absent."))
            continue
        if mark.role and (day.kind != Kind.EXPERIENTIAL or mark.role not in PartyDay.Role.values):
            errors.setdefault("role", []).append(_("Roles are taken on experiential days only, from the list."))
            continue
        reason = _clean(mark.reason) if mark.attendance != Attendance.PRESENT else ""
        new = (mark.attendance or row.attendance, reason[:200], mark.role, _clean(mark.role_detail)[:100])
        if new != (row.attendance, row.absence_reason, row.role, row.role_detail):
            row.attendance, row.absence_reason, row.role, row.role_detail = new
            row.version += 1
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row._history_user = actor
        row.save(update_fields=["attendance", "absence_reason", "role", "role_detail", "version"])
    fields = []
    if summary is not None and _clean(summary) != day.summary:
        if len(_clean(summary)) > TEXT_MAX:
            raise ValidationError({"summary": _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}})
        day.summary = _clean(summary)
        fields.append("summary")
    from_status = day.status
    if taking_attendance:
        day.status = target
        fields.append("status")
        if day.attendance_taken_at is None:
            day.attendance_taken_at = timezone.now()
            fields.append("attendance_taken_at")
    _save(day, actor, fields)
    if day.status != from_status:
        _log(day=day, actor=actor, action="hold", from_status=from_status)
    return day


# ---------------------------------------------------------------------------
# Reports and talks of an interactive day


@transaction.atomic
def contribution_add(
    *,
    actor: User,
    party_day_id: int,
    member_id: int,
    kind: str,
    summary: str,
    generation: str = "",
    talked_with: str = "",
) -> PartyDayContribution:
    day = _lock(party_day_id)
    _check(action="contribute", actor=actor, day=day)
    if day.kind != Kind.INTERACTIVE:
        raise ActivityError(_("Reports, talks and stories are recorded for interactive Party days."))
    errors: dict[str, str] = {}
    if not day.participants.filter(member_id=member_id).exists():
        errors["member"] = _("Choose one of the day's participants.")
    if kind not in PartyDayContribution.Kind.values:
        errors["kind"] = _("Choose what was held: a report, a talk or a story.")
    summary, talked_with = _clean(summary), _clean(talked_with)
    if not summary:
        errors["summary"] = _("Write what was said.")
    elif len(summary) > TEXT_MAX:
        errors["summary"] = _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}
    if kind == PartyDayContribution.Kind.STORY and generation not in PartyDayContribution.Generation.values:
        errors["generation"] = _("Say whether a senior, middle-aged or young member told the story.")
    if kind == PartyDayContribution.Kind.HEART_TALK and not talked_with:
        errors["talked_with"] = _("Say who the member talked with.")
    if errors:
        raise ValidationError(errors)
    item = PartyDayContribution(
        party_day=day,
        member_id=member_id,
        kind=kind,
        generation=generation if kind == PartyDayContribution.Kind.STORY else "",
        talked_with=talked_with[:100],
        summary=summary,
        recorded_by=actor,
    )
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def contribution_delete(*, actor: User, contribution_id: int) -> None:
    item = PartyDayContribution.objects.filter(pk=contribution_id).first()
    if item is None:
        raise ActivityError(_("The record does not exist."))
    day = _lock(item.party_day_id)
    _check(action="contribute", actor=actor, day=day)
    item._history_user = actor
    item.delete()


# ---------------------------------------------------------------------------
# A participant's reflection


@transaction.atomic
def reflection_save(*, actor: User, party_day_id: int, version: int, text: str) -> PartyDayParticipant:
    """A participant who was present writes (or rewrites) their own reflection."""
    day = _lock(party_day_id)
    member = get_roles(actor).member
    row = None
    if member is not None:
        row = PartyDayParticipant.objects.select_for_update().filter(party_day=day, member=member).first()
    if row is None or row.attendance != Attendance.PRESENT:
        raise ActivityError(ROLE_REFUSALS[PARTICIPANT])
    _check(action="reflect", actor=actor, day=day)
    if row.version != version:
        raise ConcurrentEditError(
            _("Your reflection was changed in another window after you opened it. Nothing was saved; reload the page.")
        )
    text = _clean(text)
    if not text:
        raise ValidationError({"text": _("Write your reflection.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}})
    row.reflection = text
    row.reflection_at = timezone.now()
    row.version += 1
    row._history_user = actor
    row.save(update_fields=["reflection", "reflection_at", "version"])
    return row


# ---------------------------------------------------------------------------
# Photos


def _read_image(upload: UploadedFile) -> tuple[bytes, str, str, int, int]:
    """The upload re-encoded by Pillow: (bytes, format, content type, width, height).

    Opening the file with Pillow is the proof it is an image (a script renamed .jpg
    fails here); re-encoding drops anything hidden behind the pixels and the EXIF
    data (a phone's GPS position included).
    """
    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"image": _("The photo is larger than 5 MB.")})
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({"image": _("The photo is larger than 5 MB.")})
    not_an_image = ValidationError({"image": _("The file is not a photo: upload a JPEG, PNG or WebP image.")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in PHOTO_FORMATS:
                raise not_an_image
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"image": _("The photo has too many pixels.")})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            save_args = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=fmt, **save_args)
            width, height = image.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return out.getvalue(), fmt, PHOTO_FORMATS[fmt][0], width, height


@transaction.atomic
def photo_add(
    *, actor: User, party_day_id: int, upload: UploadedFile, caption: str = "", today: datetime.date | None = None
) -> PartyDayPhoto:
    day = _lock(party_day_id)
    _check(action="photo", actor=actor, day=day)
    if day.held_on > (today or timezone.localdate()):
        raise ActivityError(_("Photos are added from the day itself on."))
    if day.photos.count() >= PHOTOS_PER_DAY:
        raise ActivityError(_("A Party day keeps at most %(n)d photos.") % {"n": PHOTOS_PER_DAY})
    caption = _clean(caption)
    if len(caption) > 200:
        raise ValidationError({"caption": _("The caption is longer than 200 characters.")})
    content, fmt, content_type, width, height = _read_image(upload)
    photo = PartyDayPhoto(
        party_day=day,
        caption=caption,
        uploaded_by=actor,
        content_type=content_type,
        size=len(content),
        width=width,
        height=height,
    )
    stem = PurePosixPath(upload.name or "photo").stem or "photo"
    photo.image.save(f"{stem}{PHOTO_FORMATS[fmt][1]}", ContentFile(content), save=False)
    # Saving the file makes the ImageField re-read its size from storage; keep what Pillow measured.
    photo.width, photo.height = width, height
    photo._history_user = actor
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    return photo


@transaction.atomic
def photo_delete(*, actor: User, photo_id: int) -> None:
    photo = PartyDayPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        raise ActivityError(_("The photo does not exist."))
    day = _lock(photo.party_day_id)
    _check(action="photo", actor=actor, day=day)
    name = photo.image.name
    storage = photo.image.storage
    photo._history_user = actor
    photo.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))
