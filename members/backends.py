"""Django's ModelBackend, reading the user of each request with a statement written once.

Every authenticated request loads its user (the authentication middleware asks the
backend the session names); building that ``get(pk=…)`` in the ORM cost several times
what PostgreSQL takes to answer it. Logging in, permissions and everything else are
ModelBackend's own.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from partybuild.lib.sql import ModelColumns, quote

from .models import User


@cache
def _user_statement(vendor: str) -> tuple[str, ModelColumns]:
    columns = ModelColumns(User, "u")
    pk = quote(User._meta.pk.column)
    return f"SELECT {columns.sql} FROM {quote(User._meta.db_table)} u WHERE u.{pk} = %s", columns  # noqa: S608


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if pk is None or not -(2**63) <= pk < 2**63:
            return None
        sql, columns = _user_statement(connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = columns.read(row)
        return user if self.user_can_authenticate(user) else None
