from .selectors import unread_count_of


def unread(request):
    """The unread notification count for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The notification list has counted them already when it shows the unread ones.
    count = getattr(request, "unread_notification_count", None)
    return {"unread_notifications": unread_count_of(user) if count is None else count}
