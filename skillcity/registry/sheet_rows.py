"""Reading a spreadsheet import in a published layout, shared by the imports that follow it: the rows
by column label (.xlsx only; the page offers the template), dates, the registered worker by ID number
with the name as a guard, and duplicate rows. Each import lists every bad row with its row number and
column label, and writes all rows or none."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, RowError, column_positions, read_rows
from skillcity.registry.models import Worker

ID = "身份证号码"
NAME = "姓名"

Row = tuple[int, dict[str, str], Any]  # row number, cells by key, the raw date cell


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def template(columns: dict[str, str], title: str, example: list[Any]) -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(columns))
    sheet.append(example)
    return workbook_bytes(workbook)


def parse(
    filename: str,
    content: bytes,
    columns: dict[str, str],
    required: tuple[str, ...],
    *,
    csv_too: bool = False,
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The data rows (row number, cells by key) and the header's problems; an .xlsx, or with `csv_too`
    also a .csv (UTF-8 or GB18030)."""
    if not filename.lower().endswith((".xlsx", ".csv") if csv_too else ".xlsx"):
        return [], [
            RowError(
                1,
                "",
                _("只支持 .xlsx 或 .csv 文件，请使用页面提供的模板")
                if csv_too
                else _("只支持 .xlsx 文件，请使用页面提供的模板"),
            )
        ]
    try:
        rows = list(read_rows(filename, content))
    except FormulaCells as error:
        return [], error.errors
    if not rows:
        return [], [RowError(1, "", _("文件为空"))]
    header = [text(cell) for cell in rows[0]]
    index, errors = column_positions(header, columns, required)
    data: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[pos] if pos < len(row) else None for key, pos in index.items()}
        if any(text(v) for v in cells.values()):
            data.append((number, cells))
    if not errors and not data:
        errors.append(RowError(2, "", _("文件中没有数据行")))
    return data, errors


def parse_date(value: Any, row: int, label: str, errors: list[RowError]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        raw = text(value)
        try:
            day = datetime.date.fromisoformat(raw.replace("/", "-"))
        except ValueError:
            errors.append(
                RowError(
                    row,
                    label,
                    _("请填写日期，格式 YYYY-MM-DD")
                    if not raw
                    else _("“%(raw)s”不是有效日期（YYYY-MM-DD）") % {"raw": raw},
                )
            )
            return None
    if day > datetime.date.today():
        errors.append(RowError(row, label, _("不能晚于今天")))
        return None
    return day


def match_worker(
    cells: dict[str, Any], row: int, workers: dict[str, Worker], errors: list[RowError]
) -> Worker | None:
    """The registered worker by ID number; the name must match (a guard against a shifted column)."""
    id_number = text(cells.get("id_number")).upper()
    if not id_number:
        errors.append(RowError(row, ID, _("请填写身份证号码")))
        return None
    worker = workers.get(id_number)
    if worker is None:
        errors.append(RowError(row, ID, _("平台登记中没有该身份证号码的劳动者")))
        return None
    name = text(cells.get("name"))
    if name != worker.name:
        errors.append(RowError(row, NAME, _("与登记姓名“%(name)s”不一致") % {"name": worker.name}))
        return None
    return worker


def workers_for(data: list[tuple[int, dict[str, Any]]]) -> dict[str, Worker]:
    numbers = sorted({text(cells.get("id_number")).upper() for _n, cells in data})
    found: dict[str, Worker] = {}
    for i in range(0, len(numbers), 2000):  # SQLite's bound parameters
        found.update({w.id_number: w for w in Worker.objects.filter(id_number__in=numbers[i : i + 2000])})
    return found


def duplicate(key: Any, row: int, seen: dict[Any, int], label: str, errors: list[RowError]) -> bool:
    if key in seen:
        errors.append(RowError(row, label, _("与第%(n)s行重复") % {"n": seen[key]}))
        return True
    seen[key] = row
    return False
