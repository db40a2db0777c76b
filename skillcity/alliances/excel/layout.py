"""Drawing helpers for the official forms: merged cells, borders, fonts, print setup; and reading."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from skillcity.core.errors import DomainError
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.core.uploads import formula_cells, open_xlsx

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
BODY_FONT = Font(name="宋体", size=11)
BOLD_FONT = Font(name="宋体", size=11, bold=True)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook, sheet


def put(
    sheet: Worksheet,
    cell: str,
    value: Any,
    *,
    merge_to: str | None = None,
    font: Font = BODY_FONT,
    align: Alignment = CENTER,
    border: bool = True,
) -> None:
    """Write a value (into the top-left of a merged range) and style every cell of the range."""
    sheet[cell] = value
    ref = f"{cell}:{merge_to}" if merge_to else cell
    if merge_to:
        sheet.merge_cells(ref)
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    for row in sheet.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
        for c in row:
            c.font = font
            c.alignment = align
            if border:
                c.border = BORDER


def widths(sheet: Worksheet, values: list[float]) -> None:
    for i, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def date_line(day: datetime.date | None) -> str:
    if day is None:
        return "     年   月   日"
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def save(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


@dataclass(frozen=True)
class CellError:
    cell: str
    label: str
    reason: str

    def as_text(self) -> str:
        return f"{self.cell or '—'} {self.label}：{self.reason}"


def cell_order(error: CellError) -> tuple[int, int]:
    """Row, then column: errors listed as a reader scans the sheet."""
    if not error.cell:
        return (10**9, 0)
    letters, row = coordinate_from_string(error.cell)
    return (row, column_index_from_string(letters))


def upload_error(errors: list[CellError]) -> DomainError:
    """Every bad cell in one error: nothing of the upload has been written."""
    errors = sorted(errors, key=cell_order)
    fields: dict[str, list[str]] = {}
    for e in errors:
        fields.setdefault(e.cell or "file", []).append(f"{e.label}：{e.reason}")
    listed = "；".join(e.as_text() for e in errors[:50])
    more = _("（另有%(n)s处）") % {"n": len(errors) - 50} if len(errors) > 50 else ""
    return DomainError(
        "invalid_upload",
        _("上传的表格有%(n)s处错误，未导入任何数据：%(listed)s%(more)s")
        % {"n": len(errors), "listed": listed, "more": more},
        fields,
    )


def open_sheet(content: bytes, *, title: str) -> Worksheet:
    """The form's sheet, after checking the file is an .xlsx within the upload bounds, holding the
    expected form and no formula cells (the form takes figures, not formulas)."""
    workbook = open_xlsx(
        content,
        read_only=False,
        unreadable=_("无法读取该文件，请上传从本平台下载并填写的 .xlsx 表格"),
        reason=_("文件损坏或不是 .xlsx"),
    )
    sheet = workbook.worksheets[0]
    found = any(
        title in str(sheet.cell(row=r, column=c).value or "") for r in range(1, 4) for c in range(1, 4)
    )
    if not found:
        raise DomainError(
            "invalid_file",
            _("该文件不是《%(title)s》，请使用本平台下载的表格") % {"title": title},
            {"file": _("找不到表头“%(title)s”") % {"title": title}},
        )
    formulas = formula_cells(sheet.iter_rows())
    if formulas:
        raise upload_error(
            [
                CellError(f"{get_column_letter(column)}{row}", _("单元格"), _("是公式，请改为直接填写数值"))
                for row, column in formulas
            ]
        )
    return sheet


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
