from .selectors import unread_count


def unread(request):
    """The unread notification count for the navigation bar (one indexed COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The notification list has counted them already when it shows the unread ones.
    count = getattr(request, "unread_notification_count", None)
    if count is None:
        count = unread_count(user_id=user.pk)
    return {"unread_notifications": count}
