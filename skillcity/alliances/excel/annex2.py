"""附件2 职业培训联盟基本情况表 and 附件3 职业培训联盟工作进展情况表, in the forms' layouts: the
merged header rows, the 合计 row, then the seven category groups in order — each group's row carries
its 小计 — with the members numbered under it, and the 填报联系人 / 联系电话 lines."""

from __future__ import annotations

import datetime
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from skillcity.alliances.excel.layout import (
    BODY_FONT,
    BOLD_FONT,
    LEFT,
    TITLE_FONT,
    date_line,
    new_sheet,
    put,
    save,
    widths,
)

ANNEX2_TITLE = "职业培训联盟基本情况表"
ANNEX3_TITLE = "职业培训联盟工作进展情况表"
HEADER_ROWS = (4, 5, 6)
TOTAL_ROW = 7
SUBTOTAL_SUFFIX = "（小计）"
TOTAL_LABEL = "合计"
ANNEX3_NOTE = "填报说明：本表以半年为统计期限，即每年1月1日至6月30日为上半年度，7月1日至12月31日为下半年度。"
USCC_HEADER = "统一社会信用代码（导入时用于匹配成员单位，请勿修改）"


def _body(
    sheet: Worksheet, data: dict[str, Any], fields: list[str], *, uscc_column: str | None = None
) -> int:
    """The 合计 row and the groups from TOTAL_ROW on; returns the next free row."""
    first_value_col = 3

    def values(row: int, counts: dict[str, int], font: Any) -> None:
        for i, name in enumerate(fields):
            put(sheet, f"{get_column_letter(first_value_col + i)}{row}", int(counts[name]), font=font)

    put(sheet, f"A{TOTAL_ROW}", "", font=BOLD_FONT)
    put(sheet, f"B{TOTAL_ROW}", TOTAL_LABEL, font=BOLD_FONT)
    values(TOTAL_ROW, data["total"], BOLD_FONT)
    if uscc_column:
        put(sheet, f"{uscc_column}{TOTAL_ROW}", "")
    row = TOTAL_ROW + 1
    for group in data["groups"]:
        put(sheet, f"A{row}", "", font=BOLD_FONT)
        put(
            sheet,
            f"B{row}",
            f"{group['number']}、{group['label']}{SUBTOTAL_SUFFIX}",
            font=BOLD_FONT,
            align=LEFT,
        )
        values(row, group["subtotal"], BOLD_FONT)
        if uscc_column:
            put(sheet, f"{uscc_column}{row}", "")
        row += 1
        for member in group["rows"]:
            put(sheet, f"A{row}", member["seq"])
            marks = ("（发起单位）" if member.get("role") == "initiator" else "") + (
                "（承担主体）" if member.get("is_lead") else ""
            )
            put(sheet, f"B{row}", f"{member['name']}{marks}", align=LEFT)
            values(row, member, BODY_FONT)
            if uscc_column:
                put(sheet, f"{uscc_column}{row}", member["uscc"])
            row += 1
    sheet.freeze_panes = f"C{TOTAL_ROW}"
    return row


def _footer(
    sheet: Worksheet, row: int, last_col: str, split_col: str, contact: str, phone: str, notes: list[str]
) -> None:
    put(
        sheet,
        f"A{row}",
        f"填报联系人：{contact}",
        merge_to=f"{_before(split_col)}{row}",
        align=LEFT,
        border=False,
    )
    put(
        sheet,
        f"{split_col}{row}",
        f"联系电话：{phone}",
        merge_to=f"{last_col}{row}",
        align=LEFT,
        border=False,
    )
    for i, note in enumerate(notes, start=1):
        put(sheet, f"A{row + i}", note, merge_to=f"{last_col}{row + i}", align=LEFT, border=False)


def _before(col: str) -> str:
    return get_column_letter(column_index_from_string(col) - 1)


def annex2_workbook(
    *,
    alliance_name: str,
    data: dict[str, Any],
    filled_on: datetime.date | None,
    contact: str,
    phone: str,
    notes: list[str],
) -> bytes:
    workbook, sheet = new_sheet("附件2")
    widths(sheet, [6, 40, 9, 9, 7, 7, 7, 8, 7, 7, 7, 7, 9, 8])
    put(sheet, "A1", "附件2", merge_to="B1", border=False, align=LEFT)
    put(sheet, "A2", ANNEX2_TITLE, merge_to="N2", font=TITLE_FONT, border=False)
    sheet.row_dimensions[2].height = 30
    put(sheet, "A3", f"填写单位：{alliance_name}", merge_to="H3", align=LEFT, border=False)
    put(sheet, "I3", f"填报日期：{date_line(filled_on)}", merge_to="N3", align=LEFT, border=False)
    put(sheet, "A4", "序号", merge_to="A6", font=BOLD_FONT)
    put(sheet, "B4", "类别及名称", merge_to="B6", font=BOLD_FONT)
    put(sheet, "C4", "职工总数（人）", merge_to="C6", font=BOLD_FONT)
    put(sheet, "D4", "其中", merge_to="N4", font=BOLD_FONT)
    put(sheet, "D5", "管理人员（人）", merge_to="D6", font=BOLD_FONT)
    put(sheet, "E5", "专业技术职称（人）", merge_to="G5", font=BOLD_FONT)
    put(sheet, "H5", "职业技能等级（人）", merge_to="M5", font=BOLD_FONT)
    put(sheet, "N5", "普工（人）", merge_to="N6", font=BOLD_FONT)
    for col, label in zip(
        "EFGHIJKLM",
        ["高级", "中级", "初级", "高级技师", "技师", "高级工", "中级工", "初级工", "专项职业能力"],
        strict=True,
    ):
        put(sheet, f"{col}6", label, font=BOLD_FONT)
    for r in HEADER_ROWS:
        sheet.row_dimensions[r].height = 24
    row = _body(sheet, data, data["fields"])
    _footer(sheet, row + 1, "N", "I", contact, phone, notes)
    return save(workbook)


def annex3_workbook(
    *,
    alliance_name: str,
    year: int,
    half: int,
    data: dict[str, Any],
    contact: str,
    phone: str,
    notes: list[str],
) -> bytes:
    workbook, sheet = new_sheet("附件3")
    widths(sheet, [6, 40, 9, 7, 8, 7, 7, 7, 7, 9, 12, 12, 11, 24])
    put(sheet, "A1", "附件3", merge_to="B1", border=False, align=LEFT)
    put(sheet, "A2", ANNEX3_TITLE, merge_to="M2", font=TITLE_FONT, border=False)
    sheet.row_dimensions[2].height = 30
    put(sheet, "A3", f"填报单位：{alliance_name}", merge_to="H3", align=LEFT, border=False)
    put(
        sheet,
        "I3",
        f"{year} 年 {'上' if half == 1 else '下'} 半年度",
        merge_to="M3",
        align=LEFT,
        border=False,
    )
    put(sheet, "A4", "序号", merge_to="A6", font=BOLD_FONT)
    put(sheet, "B4", "类别及名称", merge_to="B6", font=BOLD_FONT)
    put(sheet, "C4", "当期培训（人）", merge_to="C6", font=BOLD_FONT)
    put(sheet, "D4", "其中", merge_to="J4", font=BOLD_FONT)
    put(sheet, "D5", "当期组织企业职工开展职业技能等级培训（人）", merge_to="J5", font=BOLD_FONT)
    for col, label in zip(
        "DEFGHIJ",
        ["普工（人）", "高级技师", "技师", "高级工", "中级工", "初级工", "专项职业能力"],
        strict=True,
    ):
        put(sheet, f"{col}6", label, font=BOLD_FONT)
    put(sheet, "K4", "当期申报新职业（工种）（个）", merge_to="K6", font=BOLD_FONT)
    put(sheet, "L4", "当期申报专项职业能力（个）", merge_to="L6", font=BOLD_FONT)
    put(sheet, "M4", "当期加盟成员单位（个）", merge_to="M6", font=BOLD_FONT)
    put(sheet, "N4", USCC_HEADER, merge_to="N6", font=BOLD_FONT)
    for r in HEADER_ROWS:
        sheet.row_dimensions[r].height = 30
    row = _body(sheet, data, data["fields"], uscc_column="N")
    _footer(sheet, row + 1, "M", "I", contact, phone, [ANNEX3_NOTE, *notes])
    sheet.print_area = f"A1:M{row + 2 + len(notes)}"
    return save(workbook)
