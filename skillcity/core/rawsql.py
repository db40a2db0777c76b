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

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, models

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
    field = model._meta.get_field(name)
    converters, column = field_converters(field, model._meta.db_table)  # type: ignore[arg-type]
    for convert in converters:
        value = convert(value, column, connection)
    return value
