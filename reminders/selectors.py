from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from partybuild.lib.sql import quote

from .models import Notification

_UNREAD_ATTR = "_partybuild_unread"


def _names() -> tuple[str, str, str]:
    return (
        quote(Notification._meta.db_table),
        quote(Notification._meta.get_field("recipient").column),
        quote(Notification._meta.get_field("read_at").column),
    )


def unread_count_sql(user_alias: str) -> str:
    """The unread count as a scalar subquery over the user row ``user_alias``, for the
    statement that reads the person of each request (partybuild.auth)."""
    table, recipient, read_at = _names()
    user_pk = quote(get_user_model()._meta.pk.column)
    return f"(SELECT COUNT(*) FROM {table} n WHERE n.{recipient} = {user_alias}.{user_pk} AND n.{read_at} IS NULL)"  # noqa: S608


def remember_unread(user, count: int) -> None:
    setattr(user, _UNREAD_ATTR, count)


@cache
def _unread_statement(vendor: str) -> str:
    """Written once per process: the ORM took longer to build this COUNT than the
    database to answer it (notification_unread_idx)."""
    table, recipient, read_at = _names()
    return f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608 - names


def unread_count(*, user_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_unread_statement(connection.vendor), [user_id])
        return cursor.fetchone()[0]


def unread_count_of(user) -> int:
    """The count read with the user when the request began (partybuild.auth), else now."""
    count = getattr(user, _UNREAD_ATTR, None)
    return unread_count(user_id=user.pk) if count is None else count
