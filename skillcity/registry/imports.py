"""Import of organisations and workers from .xlsx / .csv, all rows or none; export of lists to .xlsx.

Every row is validated with the same cleaners the forms and API use. If any row fails, nothing is
written and every bad row is reported (row number as the spreadsheet shows it, column, reason).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_id_number, mask_phone
from skillcity.core.spreadsheets import new_workbook, table_workbook, workbook_bytes
from skillcity.core.uploads import formula_cells, open_xlsx
from skillcity.registry.models import STAFF_COUNT_FIELDS, Organisation, SkillRecord, Worker
from skillcity.registry.validation import Cleaned, ReferenceCache, clean_organisation, clean_worker

# field → column label (the template's header; English field names are accepted too)
WORKER_COLUMNS = {
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "手机号码",
    "town": "所在镇街",
    "employer": "工作单位统一社会信用代码",
    "highest_level": "技能等级",
    "occupation": "职业编码",
}
ORGANISATION_COLUMNS = {
    "name": "单位名称",
    "category": "单位类别",
    "uscc": "统一社会信用代码",
    "town": "所在镇街",
    "industry": "所属产业",
    "legal_representative": "法定代表人",
    "address": "地址",
    "postcode": "邮编",
    "email": "电子邮箱",
    "contact_person": "联系人",
    "office_phone": "办公电话",
    "mobile": "手机",
    "fax": "传真",
    **{f.name: str(f.verbose_name) for f in Organisation._meta.fields if f.name in STAFF_COUNT_FIELDS},
}
SAMPLES = {
    "workers": ["陈小明", "441900199005170019", "13800138000", "长安镇", "", "三级/高级工", "6-18-01-01"],
    "organisations": [
        "东莞市示例精密制造有限公司",
        "企业",
        "91441900MA5XXXXXXX",
        "长安镇",
        "新一代电子信息",
        "张三",
        "长安镇示例路1号",
        "523850",
        "hr@example.com",
        "李四",
        "0769-85550000",
        "13800138000",
        "",
        100,
        10,
        2,
        5,
        8,
        1,
        3,
        10,
        20,
        15,
        5,
        40,
    ],
}


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _columns(kind: str) -> dict[str, str]:
    if kind not in ("workers", "organisations"):
        raise DomainError("invalid", "导入类型应为 workers 或 organisations", {"kind": "未知导入类型"})
    return WORKER_COLUMNS if kind == "workers" else ORGANISATION_COLUMNS


def read_rows(filename: str, content: bytes) -> Iterator[list[Any]]:
    """Rows of the first sheet (.xlsx) or of the CSV (UTF-8 with/without BOM, or GB18030 from Chinese Excel)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        workbook = open_xlsx(content, unreadable="无法读取该 .xlsx 文件", reason="文件损坏或不是 .xlsx")
        sheet = workbook.worksheets[0]
        formulas = formula_cells(sheet.iter_rows())
        if formulas:
            header = next(sheet.iter_rows(max_row=1, values_only=True), ())
            raise FormulaCells(
                [RowError(row, _column_name(header, column), FORMULA_REASON) for row, column in formulas]
            )
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
        return
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError(
                "invalid_file", "无法识别 CSV 文件编码（应为 UTF-8 或 GB18030）", {"file": "编码无法识别"}
            )
        yield from csv.reader(io.StringIO(text))
        return
    raise DomainError("invalid_file", "只支持 .xlsx 或 .csv 文件", {"file": "文件类型不支持"})


FORMULA_REASON = "是公式，不能导入；请改为直接填写数值或文字"


class FormulaCells(DomainError):
    """An .xlsx with formula cells: imports take what a person typed, never a formula (nor its cached
    result, which another program may not have computed). Every such cell is listed as a row error."""

    def __init__(self, errors: list[RowError]):
        super().__init__("formula_cells", f"表格中有 {len(errors)} 个公式单元格，未导入任何数据")
        self.errors = errors


def _column_name(header: tuple[Any, ...] | list[Any], column: int) -> str:
    """A column as the reader sees it: its header text, else its letter."""
    text = str(header[column - 1] or "").strip() if column <= len(header) else ""
    return text or get_column_letter(column)


def column_positions(
    header: list[str], columns: dict[str, str], required: Iterable[str] | None = None
) -> tuple[dict[str, int], list[RowError]]:
    """A template's header read against its columns (label → key): each key's position, and the header's
    problems — an unknown label, a required label missing (all labels unless `required` names some)."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for position, label in enumerate(header):
        if label in columns:
            index[columns[label]] = position
        elif label:
            errors.append(RowError(1, label, gettext("未知列名")))
    for label in columns if required is None else required:
        if columns[label] not in index:
            errors.append(RowError(1, label, gettext("缺少必填列")))
    return index, errors


def _header_map(header: list[Any], columns: dict[str, str]) -> tuple[dict[int, str], list[RowError]]:
    by_label = {label: name for name, label in columns.items()} | {name: name for name in columns}
    mapping: dict[int, str] = {}
    errors = []
    for index, cell in enumerate(header):
        text = str(cell or "").strip()
        if not text:
            continue
        if text not in by_label:
            errors.append(RowError(1, text, "未知列名"))
        else:
            mapping[index] = by_label[text]
    required = (
        ["name", "id_number", "town"] if "id_number" in columns else ["name", "category", "uscc", "town"]
    )
    for name in required:
        if name not in mapping.values():
            errors.append(RowError(1, columns[name], "缺少必填列"))
    return mapping, errors


def run_import(*, kind: str, filename: str, content: bytes, actor: Any) -> ImportResult:
    """Validate every row; write all of them in one transaction, or none."""
    columns = _columns(kind)
    rows = read_rows(filename, content)
    try:
        header = next(rows, None)
    except FormulaCells as error:
        return ImportResult(errors=error.errors)
    if header is None:
        return ImportResult(errors=[RowError(1, "", "文件为空")])
    mapping, errors = _header_map(header, columns)
    if errors:
        return ImportResult(errors=errors)
    refs = ReferenceCache()
    employers = (
        {o.uscc: o for o in Organisation.objects.only("id", "uscc", "town_id")} if kind == "workers" else None
    )
    seen: dict[str, int] = {}
    unique_field = "id_number" if kind == "workers" else "uscc"
    town_lock = getattr(actor, "town", None) if getattr(actor, "role", "") == "town_officer" else None
    valid: list[Cleaned] = []
    result = ImportResult()
    for number, raw in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in raw):
            continue
        if len(valid) + len(result.errors) >= settings.IMPORT_MAX_ROWS:
            result.errors.append(RowError(number, "", f"超过单次导入上限 {settings.IMPORT_MAX_ROWS} 行"))
            break
        data = {mapping[i]: value for i, value in enumerate(raw) if i in mapping}
        cleaned = (
            clean_worker(data, refs=refs, employers=employers)
            if kind == "workers"
            else clean_organisation(data, refs=refs)
        )
        key = cleaned.values.get(unique_field)
        if key and key in seen:
            cleaned.fail(unique_field, f"与第 {seen[key]} 行重复")
        elif key:
            seen[key] = number
        town = cleaned.values.get("town")
        if town_lock is not None and town is not None and town.pk != town_lock.pk:
            cleaned.fail("town", f"只能导入本镇街（{town_lock.name}）的记录")
        for name, reason in cleaned.errors.items():
            result.errors.append(RowError(number, columns.get(name, name), reason))
        if not cleaned.errors:
            valid.append(cleaned)
    if result.errors:
        return result
    if not valid:
        return ImportResult(errors=[RowError(2, "", "文件中没有数据行")])
    try:
        result.created = _write(kind, valid, actor, filename)
    except IntegrityError:
        # Another request registered one of these numbers meanwhile; nothing of this file was written.
        return ImportResult(
            errors=[RowError(0, columns[unique_field], "导入期间有记录被他人登记，请重新导入")]
        )
    return result


@transaction.atomic
def _write(kind: str, rows: list[Cleaned], actor: Any, filename: str) -> int:
    if kind == "organisations":
        created = Organisation.objects.bulk_create([Organisation(**c.values) for c in rows], batch_size=1000)
        objects: list[Any] = (
            created
            if created and created[0].pk
            else list(Organisation.objects.filter(uscc__in=[c.values["uscc"] for c in rows]))
        )
    else:
        workers = [Worker(**{k: v for k, v in c.values.items() if k != "occupation"}) for c in rows]
        Worker.objects.bulk_create(workers, batch_size=1000)
        by_number = {
            w.id_number: w for w in Worker.objects.filter(id_number__in=[w.id_number for w in workers])
        }
        records = []
        for c in rows:
            worker = by_number[c.values["id_number"]]
            if c.values.get("highest_level"):
                records.append(
                    SkillRecord(
                        worker=worker,
                        kind=SkillRecord.Kind.SKILL_LEVEL,
                        occupation=c.values.get("occupation"),
                        level=c.values["highest_level"],
                        obtained_on=worker.created_at.date(),
                    )
                )
        SkillRecord.objects.bulk_create(records, batch_size=1000)
        objects = list(by_number.values())
    action = "worker.import" if kind == "workers" else "organisation.import"
    for obj in objects:
        audit_record(actor=actor, action=action, target=obj, after={**snapshot(obj), "file": filename})
    return len(objects)


def template_workbook(kind: str) -> bytes:
    """An empty import template with the right headers and one sample row."""
    columns = _columns(kind)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "导入模板"
    sheet.append(list(columns.values()))
    sheet.append(SAMPLES[kind])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    return workbook_bytes(workbook)


def export_workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    return table_workbook(title, header, rows)


def worker_export_rows(workers: Iterable[Worker], *, full: bool) -> Iterator[list[Any]]:
    for w in workers.iterator(chunk_size=2000) if hasattr(workers, "iterator") else workers:
        yield [
            w.name,
            w.id_number if full else mask_id_number(w.id_number),
            w.get_gender_display(),
            w.birth_date,
            w.phone if full else mask_phone(w.phone),
            w.town.name,
            w.employer.name if w.employer else "",
            w.get_highest_level_display() if w.highest_level else "",
        ]


WORKER_EXPORT_HEADER = [
    "姓名",
    "身份证号码",
    "性别",
    "出生日期",
    "手机号码",
    "所在镇街",
    "工作单位",
    "最高技能等级",
]


def organisation_export_rows(organisations: Iterable[Organisation]) -> Iterator[list[Any]]:
    for o in organisations.iterator(chunk_size=2000) if hasattr(organisations, "iterator") else organisations:
        yield [
            o.name,
            o.get_category_display(),
            o.uscc,
            o.town.name,
            o.industry.name if o.industry else "",
            o.legal_representative,
            o.contact_person,
            o.office_phone,
            mask_phone(o.mobile),
            *[getattr(o, name) for name in STAFF_COUNT_FIELDS],
        ]


ORGANISATION_EXPORT_HEADER = [
    "单位名称",
    "单位类别",
    "统一社会信用代码",
    "所在镇街",
    "所属产业",
    "法定代表人",
    "联系人",
    "办公电话",
    "手机",
    *[ORGANISATION_COLUMNS[n] for n in STAFF_COUNT_FIELDS],
]
