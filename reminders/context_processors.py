from django.utils.functional import SimpleLazyObject

from .selectors import unread_count_of


def unread(request):
    """The unread notification count for the navigation bar, counted when a template first
    shows it (a page without the layout, such as the Django admin's, counts nothing)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        # The notification list has counted them already when it shows the unread ones.
        counted = getattr(request, "unread_notification_count", None)
        return unread_count_of(user) if counted is None else counted

    return {"unread_notifications": SimpleLazyObject(count)}
