from __future__ import annotations

from functools import cache

from django.db import connection

from partybuild.lib.sql import quote

from .models import Notification


@cache
def _unread_statement(vendor: str) -> str:
    """Written once per process: the ORM took longer to build this COUNT than the
    database to answer it (notification_unread_idx), and every page asks."""
    table, recipient, read_at = (
        quote(Notification._meta.db_table),
        quote(Notification._meta.get_field("recipient").column),
        quote(Notification._meta.get_field("read_at").column),
    )
    return f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608 - names


def unread_count(*, user_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_unread_statement(connection.vendor), [user_id])
        return cursor.fetchone()[0]
