from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .models import Notification

_UNREAD_ATTR = "_partybuild_unread"


def unread_count(*, user_id: int) -> int:
    """The person's unread notifications (notification_unread_idx answers it)."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def unread_count_of(user) -> int:
    """The count for the navigation, counted once per request (kept on the user object)."""
    count = getattr(user, _UNREAD_ATTR, None)
    if count is None:
        count = unread_count(user_id=user.pk)
        setattr(user, _UNREAD_ATTR, count)
    return count


@dataclass
class NoteGroup:
    """A day's notifications of one kind: one entry in the list, however many they are."""

    kind: str
    label: str
    items: list[dict] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n["read_at"] is None)


@dataclass
class NoteDay:
    day: object
    groups: list[NoteGroup] = field(default_factory=list)


def group_by_day_and_kind(rows) -> list[NoteDay]:
    """A page of notification rows (newest first, with ``kind`` and ``created_at``) as days,
    each with one group per kind in the order the kinds first appear: a reminder run's 27
    talks to record are one entry, not 27."""
    labels = dict(Notification.Kind.choices)
    days: list[NoteDay] = []
    groups: dict[str, NoteGroup] = {}
    for row in rows:
        day = timezone.localtime(row["created_at"]).date()
        if not days or days[-1].day != day:
            days.append(NoteDay(day))
            groups = {}
        group = groups.get(row["kind"])
        if group is None:
            group = groups[row["kind"]] = NoteGroup(row["kind"], labels.get(row["kind"], row["kind"]))
            days[-1].groups.append(group)
        group.items.append(row)
    return days
