from __future__ import annotations

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
