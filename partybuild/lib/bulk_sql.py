"""Set-based writes the ORM has no word for, for the bulk paths.

``insert_rows`` is ``bulk_create`` for rows whose values are ready (ints, strings,
Decimals, dates and datetimes already adapted for the connection), without building
a model instance or preparing each value field by field — which is most of
``bulk_create``'s time on wide rows. On PostgreSQL the rows are streamed with
``COPY … FROM STDIN`` (several times faster than INSERT); elsewhere they go in
multi-row INSERT statements as large as the database allows.

``foreign_keys_checked_at_end`` is how ``pg_restore`` loads a database: the rows first,
then each foreign key checked once, by one join over the whole table, instead of by a
trigger per written row (a quarter of building the demo company went to those).

They serve only the bulk paths ``make bench`` measures (computing results, imports,
exports, the reminder fan-out, the demo seed); pages and single-record workflows use
the ORM as it is. One read is here for pages too: ``estimated_rows``, the planner's
estimate of a table's size, which the paginator of a million-row list shows instead of
counting every row (partybuild/lib/pagination.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, connections
from django.db.models import CharField, DateField, DateTimeField, JSONField, Model, QuerySet, Value
from django.utils import timezone

DEFAULT_ROWS_PER_STATEMENT = 1000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


COPY_ROWS_PER_CHUNK = 20_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_AS_STR = {int, Decimal, float}


def _copy_text(value) -> str:
    """One value in COPY's text format (by exact type first: a million calls a company)."""
    kind = type(value)
    if kind in _AS_STR:
        return str(value)
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    return str(value)


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    written = 0
    buffer: list[str] = []

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.copy_expert(statement, io.StringIO("".join(buffer)))

    for row in rows:
        buffer.append("\t".join(map(_copy_text, row)) + "\n")
        if len(buffer) == COPY_ROWS_PER_CHUNK:
            flush()
            written += len(buffer)
            buffer = []
    if buffer:
        flush()
        written += len(buffer)
    return written


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write the rows into ``table`` in as few statements as the database allows; the count."""
    if connection.vendor == "postgresql":
        return _copy_rows(table, columns, rows)
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


_MISSING = object()


def _column_writer(field, now):
    """How one field's values become column values, and the value of a row that omits it
    (the field's default; the moment of the load for auto_now and auto_now_add)."""
    ops = connection.ops
    if isinstance(field, JSONField):
        encoder = field.encoder

        def write(value):
            return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)

    elif isinstance(field, DateTimeField):
        write = ops.adapt_datetimefield_value
    elif isinstance(field, DateField):
        write = ops.adapt_datefield_value
    else:
        write = None
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    default = now if stamped else field.get_default()
    return write, (write(default) if write else default)


def insert_records(model: type[Model], records: Iterable[dict]) -> int:
    """``bulk_create`` for dicts of attribute names (``member_id``, not ``member``) and
    plain values: no model instance, no per-value preparation but for JSON, dates and
    times; an omitted field gets its default. Every concrete field but the automatic
    primary key is written; no signals, no history. The number written."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    now = timezone.now()
    writers = [(f.attname, *_column_writer(f, now)) for f in fields]

    def rows():
        for record in records:
            yield [
                default if (value := record.get(name, _MISSING)) is _MISSING else write(value) if write else value
                for name, write, default in writers
            ]

    return insert_rows(model._meta.db_table, [f.column for f in fields], rows())


def insert_selected(table: str, columns: Sequence[str], queryset: QuerySet) -> int:
    """``INSERT INTO table (columns) SELECT … ON CONFLICT DO NOTHING`` from a ``values()``
    queryset whose columns come in the same order: rows that would break a unique
    constraint are skipped. The number written. The queryset must filter (SQLite needs a
    WHERE clause before ON CONFLICT)."""
    sql, params = queryset.query.sql_with_params()
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(table)} ({names}) {sql} ON CONFLICT DO NOTHING", params)
        return cursor.rowcount


def insert_history(queryset: QuerySet, *, reason: str) -> int:
    """``bulk_create_with_history``'s history for rows already written (by insert_records):
    each row of ``queryset`` gets its "created" history record, copied by the database in one
    INSERT … SELECT. The number written."""
    history = queryset.model.history.model
    tracked = [f for f in history._meta.concrete_fields if not f.attname.startswith("history_")]
    when = Value(timezone.now(), output_field=DateTimeField())
    rows = queryset.values_list(
        *[f.attname for f in tracked],
        when,
        Value(reason, output_field=CharField()),
        Value("+", output_field=CharField()),
    )
    columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type"]
    return insert_selected(history._meta.db_table, columns, rows)


def estimated_rows(model: type[Model], *, using: str = "default") -> int | None:
    """PostgreSQL's own estimate of the rows of ``model``'s table (``pg_class.reltuples``,
    kept by VACUUM and ANALYZE, autovacuum's included), scaled by the table's size now as
    the planner scales it; None elsewhere, or where the table was never analysed. For a
    page that pages through a whole million-row table: the ORM has no word for it, and a
    COUNT(*) reads every row on every request."""
    db = connections[using]
    if db.vendor != "postgresql":
        return None
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, relpages, pg_relation_size(oid) / current_setting('block_size')::int"
            " FROM pg_class WHERE oid = to_regclass(%s)",
            [db.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    reltuples, relpages, pages = row
    return round(reltuples / relpages * pages) if relpages > 0 else round(reltuples)


def analyze(*models: type[Model]) -> None:
    """Planner statistics for tables this transaction has just filled, read by its next
    statements. Autovacuum sees only committed rows, so a table filled in the same transaction
    has none: PostgreSQL then guesses a handful of matching rows and may plan a nested loop
    over what are millions (issue 19: one INSERT … SELECT of the demo's card history ran for
    17 minutes at a million members, 17 seconds for the whole part at 100,000). ANALYZE runs
    inside the transaction and counts its own rows. A no-op elsewhere."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


@contextmanager
def foreign_keys_checked_at_end(tables: Iterable[str] | None = None) -> Iterator[None]:
    """Inside a transaction: on PostgreSQL, drop the foreign keys of every table the
    project's models own (or of ``tables`` alone: those the block fills, so that the
    keys of tables it leaves alone are not validated again), and add them back on the
    way out, each validated at once by one query. A key the loaded rows break fails
    the whole transaction as a per-row check would; a table left out keeps its keys
    and checks its rows as usual. The tables are locked against other sessions until
    the transaction ends, so this is for filling a database (the demo company), not
    for serving one. Elsewhere a plain block: each row is checked as usual."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_at_end needs a transaction: a failure would leave the keys dropped")
    existing = connection.introspection.django_table_names(only_existing=True, include_views=False)
    tables = existing if tables is None else set(tables) & set(existing)
    with connection.cursor() as cursor:
        # Earlier writes of this transaction may have checks queued; a table with queued
        # checks cannot be altered, so they run now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(%s) ORDER BY c.oid",
            [sorted(tables)],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    if connection.needs_rollback:
        return  # the keys come back with the rollback
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
