"""The database session engine, reading the session of each request with a statement
written once per process (``SESSION_ENGINE = "partybuild.lib.sessions"``).

Every request of a logged-in person loads their session; the ORM took longer to build
that lookup than the database to answer it. Saving, expiry and clearing are Django's
own (``django.contrib.sessions.backends.db``), and so is the table.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone

from .sql import ModelColumns, quote


@cache
def _session_statement(model, vendor: str) -> tuple[str, ModelColumns]:
    columns = ModelColumns(model, "s")
    key, expires = (quote(model._meta.get_field(name).column) for name in ("session_key", "expire_date"))
    sql = f"SELECT {columns.sql} FROM {quote(model._meta.db_table)} s WHERE s.{key} = %s AND s.{expires} > %s"  # noqa: S608
    return sql, columns


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            self._session_key = None
            return None
        sql, columns = _session_statement(self.model, connection.vendor)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return columns.read(row)
