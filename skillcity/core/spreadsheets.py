"""Every .xlsx and .csv the platform writes goes through here, so that no text becomes a formula.

A worker named `=HYPERLINK("http://x","y")` or an organisation named `+cmd|' /C calc'!A0` must reach
the reader as that text, never as a live formula (OWASP, "CSV injection"). The platform writes no
formulas of its own, so every text value is written as text:

- .xlsx: openpyxl turns any string starting with "=" into a formula cell (`Cell._bind_value`) and
  "#N/A"-like strings into error cells. Here every string cell is forced back to the string type,
  and text starting with =, +, -, @, a tab or a carriage return also gets Excel's quote prefix, so
  editing the cell in Excel later does not turn it into a formula either. The text itself is kept
  exactly; numbers, dates and Decimals stay numbers (a negative amount is a number, not text).
- .csv: the cell has no type, so the OWASP advice applies as written: such text is prefixed with a
  single quote.

Regular workbooks are swept when saved (`workbook_bytes`); streamed (write-only) workbooks cannot be
swept after the fact, so their rows are written through `table_workbook`. `tests/core/
test_spreadsheets.py` fails if a module outside this one creates or saves a workbook or a csv writer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

# Characters that make a spreadsheet read a cell as a formula (or, for tab / CR, split it).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_value(value: Any) -> Any:
    """A value for a CSV field: text that a spreadsheet would evaluate is prefixed with a quote."""
    return "'" + value if looks_like_formula(value) else value


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file (UTF-8 with BOM, which Chinese Excel needs to read it) with every field neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(v) for v in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_text(cell: Cell) -> None:
    """Keep a string cell a string: never a formula or an error, whatever its first character."""
    value = cell._value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def new_workbook() -> Workbook:
    return Workbook()


def workbook_bytes(workbook: Workbook) -> bytes:
    """Save a (regular) workbook after making every string cell of every sheet plain text."""
    for sheet in workbook.worksheets:
        assert isinstance(sheet, Worksheet)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, Cell):
                    as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A one-sheet table streamed row by row (write-only: large exports stay out of memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)

    def cells(values: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value)
                as_text(cell)
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
