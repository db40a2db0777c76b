"""Provincial and national titles (中华技能大奖, 全国技术能手, 南粤技术能手, 广东省技术能手) recorded from
an .xlsx in the published layout: all or nothing, every bad row listed (row, column label, reason).

Columns (first row): 身份证号码, 姓名, 称号, 授予日期, 授予文件. A row is a worker in the registry (found by
ID number; the name must match, a guard against a shifted column). The title is recorded with its
granting document; it is not our credential, so it carries no signature. Re-uploading the same file
records nothing new: a worker's title with the same name and date is already there.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.competitions.models import Title
from skillcity.competitions.services.titles import IMPORT_PREFIX, IMPORTED_HONOURS, _number_allocate, _role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import PermissionDenied
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, ImportResult, RowError, column_positions, read_rows
from skillcity.registry.models import SkillRecord, Worker
from skillcity.registry.services import skill_record_add

COLUMNS = {
    "身份证号码": "id_number",
    "姓名": "name",
    "称号": "honour",
    "授予日期": "awarded_on",
    "授予文件": "document",
}
HONOUR_BY_NAME = {str(SkillRecord.Honour(h).label): h for h in IMPORTED_HONOURS}
DOCUMENT_MAX = 200
EARLIEST = datetime.date(1990, 1, 1)  # 中华技能大奖 and 全国技术能手 were first granted in the 1990s


def template_workbook() -> bytes:
    """The published layout with one example row (a made-up ID number: replace it)."""
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "称号"
    sheet.append(list(COLUMNS))
    sheet.append(["44190019900101001X", "张三", "广东省技术能手", "2024-12-20", "粤人社函〔2024〕123号"])
    return workbook_bytes(workbook)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@transaction.atomic
def titles_import(*, filename: str, content: bytes, actor: Any) -> ImportResult:
    """Validate every row first; write only when all are good. `created` counts the new titles."""
    if _role(actor) != "bureau_officer":
        raise PermissionDenied(_("仅市人社局可导入省级、国家级称号"))
    try:
        rows = list(read_rows(filename, content))
    except FormulaCells as error:
        return ImportResult(errors=error.errors)
    if not rows:
        return ImportResult(errors=[RowError(1, "", _("文件为空"))])
    header = [_text(cell) for cell in rows[0]]
    index, errors = column_positions(header, COLUMNS)
    if errors:
        return ImportResult(errors=errors)
    today = timezone.localdate()
    seen: dict[tuple[str, str], int] = {}
    cleaned: list[tuple[Worker, str, datetime.date, str]] = []
    lines = [(n, row) for n, row in enumerate(rows[1:], start=2)]
    wanted = {_text(row[index["id_number"]]).upper() for _n, row in lines if index["id_number"] < len(row)}
    workers = {w.id_number: w for w in Worker.objects.filter(id_number__in=wanted)}
    for number, row in lines:
        cells = {key: row[pos] if pos < len(row) else None for key, pos in index.items()}
        if not any(_text(v) for v in cells.values()):
            continue
        id_number = _text(cells["id_number"]).upper()
        worker = workers.get(id_number)
        if not id_number:
            errors.append(RowError(number, "身份证号码", "必填"))
        elif worker is None:
            errors.append(RowError(number, "身份证号码", "平台劳动者登记中没有该身份证号码"))
        elif _text(cells["name"]) != worker.name:
            errors.append(RowError(number, "姓名", f"与登记姓名“{worker.name}”不一致"))
        honour = HONOUR_BY_NAME.get(_text(cells["honour"]))
        if honour is None:
            errors.append(RowError(number, "称号", f"应为：{'、'.join(HONOUR_BY_NAME)}"))
        awarded_on = _date(cells["awarded_on"])
        if awarded_on is None:
            errors.append(RowError(number, "授予日期", "应为日期，格式 YYYY-MM-DD"))
        elif not (EARLIEST <= awarded_on <= today):
            errors.append(RowError(number, "授予日期", f"应在 {EARLIEST.isoformat()} 至今天之间"))
        document = _text(cells["document"])
        if not document:
            errors.append(RowError(number, "授予文件", "必填（授予该称号的文件名称或文号）"))
        elif len(document) > DOCUMENT_MAX:
            errors.append(RowError(number, "授予文件", f"不能超过{DOCUMENT_MAX}个字符"))
        if worker is not None and honour is not None:
            if (worker.id_number, honour) in seen:
                errors.append(
                    RowError(
                        number, "身份证号码", f"与第{seen[(worker.id_number, honour)]}行是同一人同一称号"
                    )
                )
            seen[(worker.id_number, honour)] = number
        if worker is not None and honour is not None and awarded_on is not None and document:
            cleaned.append((worker, honour, awarded_on, document))
    if errors:
        return ImportResult(errors=errors)
    if not cleaned:
        return ImportResult(errors=[RowError(2, "", "文件中没有数据行")])
    new = [
        line
        for line in cleaned
        # Re-upload: the same person's same title on the same date is already recorded.
        if not Title.objects.filter(
            worker=line[0], honour=line[1], awarded_on=line[2], result__isnull=True
        ).exists()
    ]
    for holder, code, granted_on, basis in new:
        (record_number,) = _number_allocate(IMPORT_PREFIX, granted_on.year, 1)
        title = Title.objects.create(
            number=record_number,
            worker=holder,
            honour=code,
            holder_name=holder.name,
            awarded_on=granted_on,
            document=basis,
            skill_record=skill_record_add(
                worker=holder,
                kind=SkillRecord.Kind.HONOUR,
                actor=actor,
                obtained_on=granted_on,
                honour=code,
                name=basis[:100],
                certificate_number=record_number,
            ),
        )
        audit_record(actor=actor, action="title.import", target=title, after=snapshot(title))
    audit_record(
        actor=actor,
        action="title.import_file",
        target_type="competitions.title",
        target_id="import",
        target_label=filename[:100],
        after={"filename": filename, "rows": len(cleaned), "created": len(new)},
    )
    return ImportResult(created=len(new))
