"""Imports that feed TAL-CARD and TAL-HONOUR-SHARE, .xlsx in a published layout (the template the page
offers): all or nothing, every bad row listed with its row number and column label.

- titles: 莞邑工匠 / 首席技师 (city recognitions not built on the platform) → a registry honour record each;
- studio leads: the studio a person leads, until the platforms issue builds studios.
Honours lists are in services.honours (they share the reader below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record
from skillcity.registry.imports import ImportResult, RowError
from skillcity.registry.models import SkillRecord, Worker
from skillcity.registry.services import skill_record_add
from skillcity.registry.sheet_rows import ID, NAME, match_worker, parse, parse_date, text
from skillcity.registry.sheet_rows import duplicate as _duplicate
from skillcity.registry.sheet_rows import workers_for as _workers_for
from skillcity.talents.models import StudioLead, StudioLevel, TitleAward

TITLE_COLUMNS = {ID: "id_number", NAME: "name", "称号": "honour", "授予日期": "date", "认定文号": "document"}
TITLE_REQUIRED = (ID, NAME, "称号", "授予日期")
STUDIO_COLUMNS = {ID: "id_number", NAME: "name", "工作室名称": "studio", "级别": "level", "认定日期": "date"}
STUDIO_REQUIRED = tuple(STUDIO_COLUMNS)


def _run(
    *,
    actor: Any,
    filename: str,
    content: bytes,
    columns: dict[str, str],
    required: tuple[str, ...],
    check: Callable[[int, dict[str, Any], dict[str, Worker], dict[Any, int], list[RowError]], Any],
    write: Callable[[list[Any]], None],
    action: str,
) -> ImportResult:
    require_role(actor, "bureau_officer")
    data, errors = parse(filename, content, columns, required)
    if errors:
        return ImportResult(errors=errors)
    workers = _workers_for(data)
    seen: dict[Any, int] = {}
    cleaned = [
        item for number, cells in data if (item := check(number, cells, workers, seen, errors)) is not None
    ]
    if errors:
        return ImportResult(errors=errors)
    write(cleaned)
    audit_record(
        actor=actor,
        action=action,
        target_type="talents.import",
        target_label=filename[:100],
        after={"filename": filename, "rows": len(cleaned)},
    )
    return ImportResult(created=len(cleaned))


TITLE_LABELS = {str(label): value for value, label in TitleAward.Honour.choices}


@transaction.atomic
def titles_import(*, filename: str, content: bytes, actor: Any) -> ImportResult:
    """莞邑工匠 / 首席技师: each row becomes a TitleAward and the registry honour record TAL-CARD reads."""

    def check(
        row: int,
        cells: dict[str, Any],
        workers: dict[str, Worker],
        seen: dict[Any, int],
        errors: list[RowError],
    ) -> Any:
        before = len(errors)
        worker = match_worker(cells, row, workers, errors)
        label = text(cells.get("honour"))
        honour = TITLE_LABELS.get(label)
        if honour is None:
            errors.append(
                RowError(
                    row,
                    "称号",
                    _("应为%(titles)s") % {"titles": "或".join(TITLE_LABELS)}
                    if not label
                    else _("“%(label)s”不是可导入的称号（应为%(titles)s）")
                    % {"label": label, "titles": "或".join(TITLE_LABELS)},
                )
            )
        day = parse_date(cells.get("date"), row, "授予日期", errors)
        document = text(cells.get("document"))
        if len(document) > 60:
            errors.append(RowError(row, "认定文号", _("不超过60个字")))
        if worker is not None and honour is not None:
            if _duplicate((worker.pk, honour), row, seen, ID, errors):
                return None
            if TitleAward.objects.filter(worker=worker, honour=honour).exists():
                errors.append(
                    RowError(
                        row,
                        "称号",
                        _("%(name)s的“%(label)s”称号已导入过") % {"name": worker.name, "label": label},
                    )
                )
        if len(errors) > before:
            return None
        return worker, honour, label, day, document

    def write(rows: list[Any]) -> None:
        for worker, honour, _label, day, document in rows:
            record = skill_record_add(
                worker=worker,
                kind=SkillRecord.Kind.HONOUR,
                actor=actor,
                obtained_on=day,
                honour=honour,
                # No name: the page shows the honour's label, in the reader's language.
                certificate_number=document[:32],
            )
            TitleAward.objects.create(
                worker=worker,
                honour=honour,
                awarded_on=day,
                document=document,
                skill_record=record,
                source_file=filename[:200],
            )

    return _run(
        actor=actor,
        filename=filename,
        content=content,
        columns=TITLE_COLUMNS,
        required=TITLE_REQUIRED,
        check=check,
        write=write,
        action="talent_title.import",
    )


STUDIO_LABELS = {str(label): value for value, label in StudioLevel.choices}


@transaction.atomic
def studios_import(*, filename: str, content: bytes, actor: Any) -> ImportResult:
    """The studio each person leads (身份证号码, 姓名, 工作室名称, 级别 市级/省级/国家级, 认定日期)."""

    def check(
        row: int,
        cells: dict[str, Any],
        workers: dict[str, Worker],
        seen: dict[Any, int],
        errors: list[RowError],
    ) -> Any:
        before = len(errors)
        worker = match_worker(cells, row, workers, errors)
        studio = text(cells.get("studio"))
        if not studio:
            errors.append(RowError(row, "工作室名称", _("请填写工作室名称")))
        elif len(studio) > 100:
            errors.append(RowError(row, "工作室名称", _("不超过100个字")))
        label = text(cells.get("level"))
        level = STUDIO_LABELS.get(label)
        if level is None:
            errors.append(
                RowError(
                    row,
                    "级别",
                    _("“%(label)s”不是有效级别（应为市级、省级或国家级）") % {"label": label}
                    if label
                    else _("请填写级别（市级、省级或国家级）"),
                )
            )
        day = parse_date(cells.get("date"), row, "认定日期", errors)
        if worker is not None and studio:
            if _duplicate((worker.pk, studio), row, seen, "工作室名称", errors):
                return None
            if StudioLead.objects.filter(worker=worker, studio_name=studio).exists():
                errors.append(
                    RowError(
                        row,
                        "工作室名称",
                        _("%(name)s领办的“%(studio)s”已导入过") % {"name": worker.name, "studio": studio},
                    )
                )
        if len(errors) > before:
            return None
        return worker, studio, level, day

    def write(rows: list[Any]) -> None:
        StudioLead.objects.bulk_create(
            StudioLead(worker=w, studio_name=s, level=lv, recognised_on=d, source_file=filename[:200])
            for w, s, lv, d in rows
        )

    return _run(
        actor=actor,
        filename=filename,
        content=content,
        columns=STUDIO_COLUMNS,
        required=STUDIO_REQUIRED,
        check=check,
        write=write,
        action="studio_lead.import",
    )
