"""Hot paths in plain SQL: rows converted exactly as the ORM does.

The ORM spends a few tenths of a millisecond compiling each query. That is nothing on a page, but
on the request paths that must answer in about a millisecond under load (bearer-token
authentication on every API call, voucher redemption, the audit row every write appends) it is
most of the time. Those paths write their SQL once, by hand, and use this module for the parts
the ORM would otherwise do: quoting column lists, and turning raw column values (SQLite hands back
dates as text and decimals as floats) into the model's Python values, with the backend's and the
field's own converters. Parameters are adapted with the backend's own `connection.ops.adapt_*`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)
_Converter = Callable[[Any, Any, Any], Any]


def field_converters(field: models.Field[Any, Any], alias: str) -> tuple[list[_Converter], Any]:
    """The converters the ORM applies to this field's column (see SQLCompiler.get_converters)."""
    column = field.get_col(alias)
    return connection.ops.get_db_converters(column) + column.get_db_converters(connection), column


class RowModel(Generic[M]):
    """A model's concrete columns for a hand-written SELECT, and instances built from its rows.

    `columns` is the select list (`alias."col", …`, in the model's field order); `build(values)`
    makes the instance from that slice of a row, as a queryset would have.
    """

    def __init__(self, model: type[M], alias: str):
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        self.columns = ", ".join(f"{alias}.{quote(str(f.column))}" for f in self.fields)
        self.width = len(self.fields)
        self._attnames = [f.attname for f in self.fields]
        # Converters belong to a backend's operations, not to one connection: cache per vendor.
        self._converters: dict[str, list[tuple[int, list[_Converter], Any]]] = {}

    def _converters_now(self) -> list[tuple[int, list[_Converter], Any]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                converters, column = field_converters(field, self.alias)
                if converters:
                    found.append((index, converters, column))
            self._converters[connection.vendor] = found
        return found

    def build(self, values: Sequence[Any]) -> M:
        row = list(values)
        for index, converters, column in self._converters_now():
            value = row[index]
            for convert in converters:
                value = convert(value, column, connection)
            row[index] = value
        return self.model.from_db(DEFAULT_DB_ALIAS, self._attnames, row)


def convert_value(model: type[models.Model], name: str, value: Any) -> Any:
    """One raw column value of `model.name` as the ORM would return it."""
    converters, column = _value_converters(model, name, connection.vendor)
    for convert in converters:
        value = convert(value, column, connection)
    return value


@functools.cache
def _value_converters(model: type[models.Model], name: str, vendor: str) -> tuple[list[_Converter], Any]:
    return field_converters(model._meta.get_field(name), model._meta.db_table)  # type: ignore[arg-type]


class Statement:
    """A hand-written statement of a hot path, run on the database driver's own cursor.

    Written once with `%s` placeholders, as for Django's cursor. Django's cursor wrapper turns them
    into SQLite's `?` with a regular expression on every call and adds its debug and
    instrumentation layers; at seven statements a voucher redemption, that cost about as much as
    SQLite's own work. Here the SQLite text is made once. Errors still go through Django's error
    wrapper: they are Django's (`django.db.IntegrityError` …), and a failing connection is marked
    so that Django closes it at the end of the request, as with its own cursors. Such statements
    do not appear in Django's query log.
    """

    def __init__(self, sql: str):
        if "%%" in sql or "%(" in sql:
            raise ValueError("a Statement takes positional %s placeholders and no literal %")
        self.sql = sql
        self._qmark = sql.replace("%s", "?")

    def run(self, cursor: Any, params: Sequence[Any]) -> Any:
        """Execute on `cursor` (from `driver_cursor`); the cursor, for fetchone()."""
        cursor.execute(self._qmark if cursor.connection_vendor == "sqlite" else self.sql, params)
        return cursor


def driver_cursor(db: BaseDatabaseWrapper) -> Any:
    """A cursor of the driver's connection under `db` for `Statement.run`: connected, and health
    checked (CONN_HEALTH_CHECKS), as Django's own `db.cursor()` would be."""
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
    return _DriverCursor(cursor, db.vendor, db.wrap_database_errors)


class _DriverCursor:
    __slots__ = ("_cursor", "_errors", "connection_vendor")

    def __init__(self, cursor: Any, vendor: str, errors: Any):
        self._cursor = cursor
        self._errors = errors
        self.connection_vendor = vendor

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        with self._errors:
            self._cursor.execute(sql, params)

    def fetchone(self) -> Any:
        with self._errors:
            return self._cursor.fetchone()

    def close(self) -> None:
        self._cursor.close()

    def __enter__(self) -> _DriverCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()


def update_rows(
    cursor: Any, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> None:
    """`UPDATE table SET column = value, … WHERE id = …` for many rows, each row its values in the
    order of `columns` then its id, on Django's cursor `cursor`. `columns` are (column, PostgreSQL
    type) pairs.

    On PostgreSQL one statement updates them all, from one array a column (`UPDATE … FROM unnest(…)`):
    with psycopg's client-side binding, `executemany` sends, parses and plans one statement a row,
    and at a few thousand rows that costs the server more than the updates. SQLite runs one
    prepared statement for the rows (`executemany`), which is already that."""
    if not rows:
        return
    db = cursor.db  # the cursor's own connection (Django's CursorWrapper), whichever alias
    quote = db.ops.quote_name
    if db.vendor == "postgresql":
        names = [quote(name) for name, _ in columns]
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
        sets = ", ".join(f"{name} = v.{name}" for name in names)
        cursor.execute(
            f"UPDATE {quote(table)} AS t SET {sets} FROM unnest({arrays}, %s::bigint[]) "
            f"AS v({', '.join(names)}, row_id) WHERE t.id = v.row_id",
            [list(values) for values in zip(*rows, strict=True)],
        )
        return
    sets = ", ".join(f"{quote(name)} = %s" for name, _ in columns)
    cursor.executemany(f"UPDATE {quote(table)} SET {sets} WHERE id = %s", rows)
