"""One helper writes every spreadsheet and CSV: text that a spreadsheet would evaluate stays text."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

import skillcity
from skillcity.core.spreadsheets import csv_bytes, new_workbook, table_workbook, workbook_bytes
from tests.exports import AT, CALC, HYPERLINK, MINUS, PLUS, assert_text_not_formula


def test_it_writes_formula_like_text_as_text_in_a_streamed_table():
    content = table_workbook(
        "表", ["姓名", "金额"], [[HYPERLINK, Decimal("-1.50")], [CALC, -5], [PLUS, 0], [AT, 1]]
    )
    assert_text_not_formula(content, HYPERLINK, CALC, PLUS, AT)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    # Numbers stay numbers, negative ones too: only text is neutralised.
    assert rows[1][1] == -1.5 and rows[2][1] == -5


def test_it_writes_formula_like_text_as_text_in_a_drawn_workbook():
    workbook = new_workbook()
    sheet = workbook.active
    sheet["B2"] = CALC
    sheet.append([MINUS, "\tTAB", -3, "#N/A", "普通文字"])
    content = workbook_bytes(workbook)
    assert_text_not_formula(content, CALC, MINUS, "\tTAB")
    back = load_workbook(io.BytesIO(content)).active
    assert back["C3"].value == -3 and back["C3"].data_type == "n"
    # An error-code-like text is text too, and plain text gets no quote prefix.
    assert back["D3"].data_type == "s" and back["E3"].data_type == "s" and not back["E3"].quotePrefix


def test_it_prefixes_formula_like_csv_fields_with_a_quote():
    content = csv_bytes(
        ["姓名", "金额"], [[HYPERLINK, -5], [AT, "x"], ["\rCR", "\tTAB"], ["王", Decimal("-1.50")]]
    )
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + HYPERLINK, "-5"]
    assert rows[2] == ["'" + AT, "x"]
    assert rows[3] == ["'\rCR", "'\tTAB"]
    assert rows[4] == ["王", "-1.50"]


def test_no_module_writes_a_workbook_or_csv_around_the_helper():
    """Every future export goes through skillcity.core.spreadsheets, or this test names the module."""
    root = Path(skillcity.__file__).parent
    helper = root / "core" / "spreadsheets.py"
    pattern = re.compile(r"\bWorkbook\(|csv\.writer|csv\.DictWriter|\.write_csv\(|\.to_csv\(|\.write_excel\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != helper and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
