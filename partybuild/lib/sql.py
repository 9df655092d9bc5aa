"""Set-based writes the ORM has no word for.

``insert_rows`` is ``bulk_create`` for rows whose values are ready (ints, strings,
Decimals, dates and datetimes already adapted for the connection): the same
multi-row INSERT statements, without building a model instance or preparing each
value field by field — which is most of ``bulk_create``'s time on wide rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

DEFAULT_ROWS_PER_STATEMENT = 1000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT the rows into ``table`` in as few statements as the database allows; the count."""
    width = len(columns)
    limit = connection.features.max_query_params
    per_statement = min(DEFAULT_ROWS_PER_STATEMENT, limit // width) if limit else DEFAULT_ROWS_PER_STATEMENT
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608 - names, not values
    one = "(" + ", ".join(["%s"] * width) + ")"
    written = 0
    batch: list = []
    count = 0

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.execute(head + ", ".join([one] * count), batch)

    for row in rows:
        batch.extend(row)
        count += 1
        if count == per_statement:
            flush()
            written += count
            batch, count = [], 0
    if count:
        flush()
        written += count
    return written
