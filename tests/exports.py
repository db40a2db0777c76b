"""Checks shared by the export tests: text that looks like a formula comes back as that text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

# OWASP's CSV-injection payloads, and text starting with each of the other trigger characters.
HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "=cmd|' /C calc'!A0"
PLUS = "+SUM(1,1)"
AT = "@SUM(1,1)"
MINUS = "-2+3"


def assert_text_not_formula(content: bytes, *texts: str) -> None:
    """No cell of any sheet is a formula, and each of `texts` is a cell's text, marked as text."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [(cell.coordinate, cell.value) for cell in cells if cell.data_type == "f"]
    assert formulas == []
    for text in texts:
        found = [cell for cell in cells if cell.value == text]
        assert found, f"{text!r} is not in the file"
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in found), text


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A one-sheet workbook of `rows`, as a person's spreadsheet program would save it (formulas too)."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
