"""Criticism meetings (民主生活会 / 组织生活会): the meeting and its participants, each
one's self-criticism, the criticisms given, and the rectification items that follow.

The branch committee (or an administrator) records a meeting; a participant may
write their own self-criticism, record a criticism they gave, and follow up on a
rectification item they own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, User
from members.roles import get_roles

from ..models import Criticism, CriticismMeeting, RectificationItem, RectificationUpdate, SelfCriticism
from . import StudyError

Kind = CriticismMeeting.Kind
ItemStatus = RectificationItem.Status

TITLE_MAX = CriticismMeeting._meta.get_field("title").max_length
LOCATION_MAX = CriticismMeeting._meta.get_field("location").max_length


def meeting_can_manage(*, actor: User, branch_id: int) -> bool:
    """Administrators anywhere; a branch's secretary or committee member in their branch."""
    roles = get_roles(actor)
    return roles.is_admin or roles.committee_branch_id == branch_id


def meeting_version(meeting: CriticismMeeting) -> int:
    """A token that changes whenever the meeting or its participant list is saved.

    Every save and every participant change writes a history row, so the newest
    history id serves as the version an edit form was read at.
    """
    return meeting.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def self_criticism_version(row: SelfCriticism | None) -> int:
    """Like :func:`meeting_version`, for a self-criticism; 0 when none is written yet."""
    if row is None:
        return 0
    return row.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def _actor_member_id(actor: User) -> int | None:
    member = get_roles(actor).member
    return member.pk if member is not None else None


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _check_meeting_fields(*, kind: str, title: str, held_on: datetime.date | None, location: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not title:
        errors["title"] = _("Give the meeting a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is longer than %(n)d characters.") % {"n": TITLE_MAX}
    if held_on is None:
        errors["held_on"] = _("Give the date of the meeting.")
    if len(location) > LOCATION_MAX:
        errors["location"] = _("The place is longer than %(n)d characters.") % {"n": LOCATION_MAX}
    return errors


def _check_participants(*, branch_id: int, participants: list[Member], keep: set[int]) -> str | None:
    """Why the participant list is not acceptable, or None.

    Members already on the meeting may stay even if they have since moved or left
    the roll; anyone added must be an active member of the meeting's branch.
    """
    if len(participants) < 2:
        return _("A criticism meeting needs at least two participants.")
    outsiders = [m for m in participants if m.pk not in keep and (m.branch_id != branch_id or not m.is_active)]
    if outsiders:
        return _("Only members of the meeting's branch can take part: %(names)s.") % {
            "names": "、".join(m.name for m in outsiders)
        }
    return None


def _members(ids_or_members: Iterable[Member | int]) -> list[Member]:
    items = list(ids_or_members)
    ids = [m.pk if isinstance(m, Member) else int(m) for m in items]
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ValidationError({"participants": _("Some of the participants chosen do not exist.")})
    return [found[pk] for pk in dict.fromkeys(ids)]


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    branch_id: int,
    kind: str,
    title: str,
    held_on: datetime.date,
    participants: Iterable[Member | int],
    location: str = "",
    topic: str = "",
) -> CriticismMeeting:
    if not meeting_can_manage(actor=actor, branch_id=branch_id):
        raise PermissionDenied
    title, location, topic = _clean_text(title), _clean_text(location), _clean_text(topic)
    people = _members(participants)
    errors = _check_meeting_fields(kind=kind, title=title, held_on=held_on, location=location)
    problem = _check_participants(branch_id=branch_id, participants=people, keep=set())
    if problem:
        errors["participants"] = problem
    if errors:
        raise ValidationError(errors)
    meeting = CriticismMeeting(
        branch_id=branch_id,
        kind=kind,
        title=title,
        held_on=held_on,
        location=location,
        topic=topic,
        created_by=actor,
    )
    meeting._history_user = actor
    meeting.save()
    meeting.participants.set(people)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting_id: int,
    kind: str,
    title: str,
    held_on: datetime.date,
    participants: Iterable[Member | int],
    location: str = "",
    topic: str = "",
    version: int | None = None,
) -> CriticismMeeting:
    """Save an edit of the meeting; ``version`` is :func:`meeting_version` when the form was read."""
    meeting = CriticismMeeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting_can_manage(actor=actor, branch_id=meeting.branch_id):
        raise PermissionDenied
    if version is not None and version != meeting_version(meeting):
        raise StudyError(
            _(
                "Someone else changed this meeting after you opened it. Your changes were not saved; "
                "reload the page to see the current record."
            )
        )
    title, location, topic = _clean_text(title), _clean_text(location), _clean_text(topic)
    people = _members(participants)
    current = set(meeting.participants.values_list("pk", flat=True))
    errors = _check_meeting_fields(kind=kind, title=title, held_on=held_on, location=location)
    problem = _check_participants(branch_id=meeting.branch_id, participants=people, keep=current)
    if problem is None:
        problem = _check_removals(meeting=meeting, removed=current - {m.pk for m in people})
    if problem:
        errors["participants"] = problem
    if errors:
        raise ValidationError(errors)
    meeting.kind, meeting.title, meeting.held_on = kind, title, held_on
    meeting.location, meeting.topic = location, topic
    meeting._history_user = actor
    meeting.save()
    if {m.pk for m in people} != current:
        meeting.participants.set(people)
    return meeting


def _check_removals(*, meeting: CriticismMeeting, removed: set[int]) -> str | None:
    """A participant with a record at this meeting cannot be taken off it."""
    if not removed:
        return None
    recorded = (
        set(SelfCriticism.objects.filter(meeting=meeting, member_id__in=removed).values_list("member_id", flat=True))
        | set(
            Criticism.objects.filter(meeting=meeting, from_member_id__in=removed).values_list(
                "from_member_id", flat=True
            )
        )
        | set(
            Criticism.objects.filter(meeting=meeting, to_member_id__in=removed).values_list("to_member_id", flat=True)
        )
        | set(
            RectificationItem.objects.filter(meeting=meeting, owner_id__in=removed).values_list("owner_id", flat=True)
        )
    )
    if not recorded:
        return None
    names = Member.objects.filter(pk__in=recorded).order_by("employee_no").values_list("name", flat=True)
    return _(
        "%(names)s cannot be taken off the meeting: a self-criticism, criticism or rectification item "
        "of theirs is recorded."
    ) % {"names": "、".join(names)}


def _participant_ids(meeting: CriticismMeeting) -> set[int]:
    return set(meeting.participants.values_list("pk", flat=True))


# ---------------------------------------------------------------------------
# Self-criticisms and criticisms


@transaction.atomic
def self_criticism_save(
    *,
    actor: User,
    meeting_id: int,
    member_id: int,
    content: str,
    version: int | None = None,
) -> SelfCriticism:
    """Write or rewrite a participant's self-criticism (one per participant per meeting).

    ``version`` is :func:`self_criticism_version` when the form was opened (0 for none
    yet): if the text was saved again since, the edit is refused rather than
    overwriting it.
    """
    meeting = CriticismMeeting.objects.select_for_update().get(pk=meeting_id)
    manager = meeting_can_manage(actor=actor, branch_id=meeting.branch_id)
    if not (manager or _actor_member_id(actor) == member_id):
        raise PermissionDenied
    if member_id not in _participant_ids(meeting):
        if not manager:
            raise PermissionDenied
        raise ValidationError({"member": _("Only a participant of the meeting has a self-criticism here.")})
    content = _clean_text(content)
    if not content:
        raise ValidationError({"content": _("Write the self-criticism.")})
    row = SelfCriticism.objects.select_for_update().filter(meeting=meeting, member_id=member_id).first()
    if version is not None and version != self_criticism_version(row):
        raise StudyError(
            _(
                "This self-criticism was changed by someone else after you opened it. Your text was not "
                "saved; reload the page, then make your changes again."
            )
        )
    if row is None:
        row = SelfCriticism(meeting=meeting, member_id=member_id)
    elif row.content == content:
        return row
    row.content = content
    row._history_user = actor
    row.save()
    return row


@transaction.atomic
def criticism_add(
    *,
    actor: User,
    meeting_id: int,
    from_member_id: int,
    to_member_id: int,
    matter: str,
    evidence: str = "",
) -> Criticism:
    """Record a criticism one participant gave another.

    The committee records any criticism; a participant records those they gave.
    """
    meeting = CriticismMeeting.objects.select_for_update().get(pk=meeting_id)
    manager = meeting_can_manage(actor=actor, branch_id=meeting.branch_id)
    if not manager and _actor_member_id(actor) != from_member_id:
        raise PermissionDenied
    participants = _participant_ids(meeting)
    if not manager and from_member_id not in participants:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if from_member_id not in participants:
        errors["from_member"] = _("The critic must be a participant of the meeting.")
    if to_member_id not in participants:
        errors["to_member"] = _("The person criticised must be a participant of the meeting.")
    elif to_member_id == from_member_id:
        errors["to_member"] = _("A criticism is given to someone else; write your own faults in the self-criticism.")
    matter, evidence = _clean_text(matter), _clean_text(evidence)
    if not matter:
        errors["matter"] = _("Say what the criticism is about.")
    if errors:
        raise ValidationError(errors)
    criticism = Criticism(
        meeting=meeting, from_member_id=from_member_id, to_member_id=to_member_id, matter=matter, evidence=evidence
    )
    criticism._history_user = actor
    criticism.save()
    return criticism


# ---------------------------------------------------------------------------
# Rectification items


@transaction.atomic
def rectification_add(
    *,
    actor: User,
    meeting_id: int,
    owner_id: int,
    description: str,
    deadline: datetime.date,
) -> RectificationItem:
    meeting = CriticismMeeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting_can_manage(actor=actor, branch_id=meeting.branch_id):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if owner_id not in _participant_ids(meeting):
        errors["owner"] = _("The owner of a rectification item must be a participant of the meeting.")
    description = _clean_text(description)
    if not description:
        errors["description"] = _("Describe what is to be rectified.")
    if deadline is None:
        errors["deadline"] = _("Give the deadline.")
    elif deadline < meeting.held_on:
        errors["deadline"] = _("The deadline cannot be before the meeting (%(date)s).") % {
            "date": meeting.held_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    item = RectificationItem(meeting=meeting, owner_id=owner_id, description=description, deadline=deadline)
    item._history_user = actor
    item.save()
    return item


def rectification_can_follow_up(*, actor: User, item: RectificationItem) -> bool:
    """The item's owner, or the committee of the meeting's branch (or an administrator)."""
    if _actor_member_id(actor) == item.owner_id:
        return True
    return meeting_can_manage(actor=actor, branch_id=item.meeting.branch_id)


@transaction.atomic
def rectification_follow_up(*, actor: User, item_id: int, note: str, status: str) -> RectificationUpdate:
    """Add a follow-up to a rectification item and move the item to the status it reports.

    A finished item can only be reopened by the committee, which checks the work.
    """
    item = RectificationItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item_id)
    if not rectification_can_follow_up(actor=actor, item=item):
        raise PermissionDenied
    errors: dict[str, str] = {}
    note = _clean_text(note)
    if not note:
        errors["note"] = _("Write what has been done.")
    if status not in ItemStatus.values:
        errors["status"] = _("Choose the status after this follow-up.")
    elif (
        item.status == ItemStatus.DONE
        and status != ItemStatus.DONE
        and not meeting_can_manage(actor=actor, branch_id=item.meeting.branch_id)
    ):
        errors["status"] = _("This item is done; only the branch committee can reopen it.")
    if errors:
        raise ValidationError(errors)
    update = RectificationUpdate.objects.create(item=item, note=note, status=status, author=actor)
    if item.status != status:
        item.status = status
        item._history_user = actor
        item.save(update_fields=["status"])
    return update
