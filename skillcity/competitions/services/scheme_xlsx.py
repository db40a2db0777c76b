"""A marking scheme as rows: the page's rows and the published .xlsx layout are the same table.

Layout (one sheet, first row the column labels, one aspect per row; docs/competitions.md):
模块代码 | 模块名称 | 评分项代码 | 评分项描述 | 评分方式（测量/评价） | 分值

Rows with the same 模块代码 form one section (its 模块名称 the same on each). An upload with any bad row
is rejected whole; every bad row is listed with its row number and column label.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import MARK_MAX, Aspect, ContestProject
from skillcity.competitions.services.contests import require_organiser, scheme_set, scheme_snapshot
from skillcity.core.audit import audit_record
from skillcity.core.bounds import parse_decimal, shown_value
from skillcity.core.errors import DomainError
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, ImportResult, RowError, read_rows

# column label → row key, in the layout's order
COLUMNS = {
    "模块代码": "section_code",
    "模块名称": "section_name",
    "评分项代码": "code",
    "评分项描述": "description",
    "评分方式": "kind",
    "分值": "max_mark",
}
LABELS = {key: label for label, key in COLUMNS.items()}
# The template's first row: 评分方式 says its two values; an upload may also head it plainly 评分方式.
HEADER = ["模块代码", "模块名称", "评分项代码", "评分项描述", "评分方式（测量/评价）", "分值"]
KIND_WORDS = {
    "测量": Aspect.Kind.MEASUREMENT,
    "评价": Aspect.Kind.JUDGEMENT,
    "measurement": Aspect.Kind.MEASUREMENT,
    "judgement": Aspect.Kind.JUDGEMENT,
}
KIND_LABELS = {Aspect.Kind.MEASUREMENT: "测量", Aspect.Kind.JUDGEMENT: "评价"}
ROWS_MAX = 500  # aspects of one project (WorldSkills schemes have a few hundred at most)
LENGTHS = {"section_code": 10, "section_name": 200, "code": 12, "description": 500}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def sections_from_rows(rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Rows (row number, {key: value}) → the sections of `scheme_set`, and each bad row's errors
    (row number, column label, reason). Blank rows are skipped."""
    errors: list[RowError] = []
    sections: dict[str, dict[str, Any]] = {}
    section_rows: dict[str, int] = {}
    aspect_rows: dict[tuple[str, str], int] = {}
    count = 0
    for number, raw in rows:
        cells = {key: _text(raw.get(key)) for key in COLUMNS.values()}
        if not any(cells.values()):
            continue
        count += 1
        row_errors: list[RowError] = []
        for name, limit in LENGTHS.items():
            if not cells[name]:
                row_errors.append(RowError(number, LABELS[name], _("必填")))
            elif len(cells[name]) > limit:
                row_errors.append(RowError(number, LABELS[name], _("不能超过%(n)d个字符") % {"n": limit}))
        kind = KIND_WORDS.get(cells["kind"])
        if kind is None:
            row_errors.append(
                RowError(
                    number,
                    LABELS["kind"],
                    _("应为“测量”或“评价”，而不是“%(v)s”") % {"v": shown_value(cells["kind"])},
                )
            )
        max_mark = Decimal(0)
        try:
            max_mark = parse_decimal(cells["max_mark"], low=Decimal(0), high=MARK_MAX, places=2)
            if max_mark <= 0:
                raise ValueError(_("应大于 0"))
        except ValueError as exc:
            row_errors.append(RowError(number, LABELS["max_mark"], str(exc)))
        code, name = cells["section_code"], cells["section_name"]
        if code and code in sections and name and sections[code]["name"] != name:
            row_errors.append(
                RowError(
                    number,
                    LABELS["section_name"],
                    _("与第%(n)d行同一模块代码的模块名称“%(v)s”不一致")
                    % {"n": section_rows[code], "v": shown_value(sections[code]["name"])},
                )
            )
        aspect_key = (code, cells["code"])
        if code and cells["code"] and aspect_key in aspect_rows:
            row_errors.append(
                RowError(number, LABELS["code"], _("与第%(n)d行重复") % {"n": aspect_rows[aspect_key]})
            )
        errors.extend(row_errors)
        if row_errors:
            continue
        aspect_rows[aspect_key] = number
        if code not in sections:
            sections[code] = {"code": code, "name": name, "aspects": []}
            section_rows[code] = number
        sections[code]["aspects"].append(
            {
                "code": cells["code"],
                "description": cells["description"],
                "kind": str(kind),
                "max_mark": max_mark,
            }
        )
    if count > ROWS_MAX:
        errors.append(RowError(rows[-1][0] if rows else 2, "", _("评分项不能超过%(n)d行") % {"n": ROWS_MAX}))
    if not count and not errors:
        errors.append(RowError(2, "", _("没有评分项")))
    return list(sections.values()), errors


def rows_of(project: ContestProject) -> list[dict[str, Any]]:
    """The project's scheme as rows of the layout (for the page and the template)."""
    rows = []
    for section in scheme_snapshot(project):
        for aspect in section["aspects"]:
            rows.append(
                {
                    "section_code": section["code"],
                    "section_name": section["name"],
                    "code": aspect["code"],
                    "description": aspect["description"],
                    "kind": KIND_LABELS.get(aspect["kind"], aspect["kind"]),
                    "max_mark": aspect["max_mark"],
                }
            )
    return rows


def template_workbook(project: ContestProject | None = None) -> bytes:
    """The published layout: one sheet, the six column labels, and the project's scheme if it has one
    (otherwise two example rows)."""
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "评分方案"
    sheet.append(HEADER)
    rows = rows_of(project) if project is not None else []
    if not rows:
        rows = [
            {
                "section_code": "A",
                "section_name": "零件加工",
                "code": "A1",
                "description": "外圆尺寸 Φ40±0.02",
                "kind": "测量",
                "max_mark": "10",
            },
            {
                "section_code": "A",
                "section_name": "零件加工",
                "code": "A2",
                "description": "表面质量",
                "kind": "评价",
                "max_mark": "6",
            },
        ]
    for row in rows:
        sheet.append([str(row[key]) if key == "max_mark" else row[key] for key in COLUMNS.values()])
    return workbook_bytes(workbook)


@transaction.atomic
def scheme_import(*, project: ContestProject, actor: Any, filename: str, content: bytes) -> ImportResult:
    """Replace the project's scheme from an .xlsx in the layout: all rows good, or nothing written."""
    require_organiser(actor, project.competition)
    if not (filename or "").lower().endswith(".xlsx"):
        raise DomainError("invalid_file", _("请上传 .xlsx 文件"), {"file": _("应为 .xlsx 文件")})
    try:
        table = list(read_rows(filename, content))
    except FormulaCells as error:
        return ImportResult(errors=error.errors)
    if not table:
        return ImportResult(errors=[RowError(1, "", _("文件为空"))])
    header = [_text(cell) for cell in table[0]]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for position, label in enumerate(header):
        label = label.split("（")[0].split("(")[0].strip()  # "评分方式（测量/评价）" reads as 评分方式
        if label in COLUMNS:
            index[COLUMNS[label]] = position
        elif label:
            errors.append(RowError(1, label, _("未知列名")))
    for label, key in COLUMNS.items():
        if key not in index:
            errors.append(RowError(1, label, _("缺少必填列")))
    if errors:
        return ImportResult(errors=errors)
    rows = [
        (number, {key: row[pos] if pos < len(row) else None for key, pos in index.items()})
        for number, row in enumerate(table[1:], start=2)
    ]
    sections, errors = sections_from_rows(rows)
    if errors:
        return ImportResult(errors=errors)
    made = scheme_set(project=project, actor=actor, sections=sections)
    aspects = sum(len(s["aspects"]) for s in sections)
    audit_record(
        actor=actor,
        action="competition.scheme_import",
        target=project,
        after={"filename": filename, "sections": len(made), "aspects": aspects},
    )
    return ImportResult(created=aspects)
