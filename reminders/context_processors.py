from functools import cache

from django.db import connection

from partybuild.lib.sql import quote

from .models import Notification


@cache
def _unread_statement(vendor: str) -> str:
    """Written once per process: the ORM took longer to build this COUNT than the
    database to answer it (notification_unread_idx), on every page."""
    table, recipient, read_at = (
        quote(Notification._meta.db_table),
        quote(Notification._meta.get_field("recipient").column),
        quote(Notification._meta.get_field("read_at").column),
    )
    return f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608 - names


def unread(request):
    """The unread notification count for the navigation bar (one indexed COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The notification list has counted them already when it shows the unread ones.
    count = getattr(request, "unread_notification_count", None)
    if count is None:
        with connection.cursor() as cursor:
            cursor.execute(_unread_statement(connection.vendor), [user.pk])
            count = cursor.fetchone()[0]
    return {"unread_notifications": count}
