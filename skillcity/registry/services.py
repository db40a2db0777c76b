"""Every write to the registry: one transaction, one audit row per changed record."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError
from skillcity.registry.models import (
    Occupation,
    Organisation,
    SkillRecord,
    Worker,
    WorkerStatus,
    WorkerStatusKind,
)
from skillcity.registry.validation import ReferenceCache, clean_organisation, clean_worker


def _invalid(errors: dict[str, str]) -> DomainError:
    first = next(iter(errors.items()))
    return DomainError(
        "invalid", f"{first[0]}：{first[1]}" if len(errors) == 1 else "输入有误，请检查标出的字段", errors
    )


@transaction.atomic
def organisation_create(*, data: Mapping[str, Any], actor: Any) -> Organisation:
    cleaned = clean_organisation(data, refs=ReferenceCache())
    if cleaned.errors:
        raise _invalid(cleaned.errors)
    organisation = Organisation(**cleaned.values)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Another request registered the same USCC between our check and our insert.
        raise DomainError("invalid", "统一社会信用代码已登记", {"uscc": "统一社会信用代码已登记"}) from None
    audit_record(actor=actor, action="organisation.create", target=organisation, after=snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: Mapping[str, Any], actor: Any) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    cleaned = clean_organisation(data, refs=ReferenceCache(), instance=organisation, partial=True)
    if cleaned.errors:
        raise _invalid(cleaned.errors)
    before = snapshot(organisation)
    for name, value in cleaned.values.items():
        setattr(organisation, name, value)
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.update",
        target=organisation,
        before=before,
        after=snapshot(organisation),
    )
    return organisation


def _add_level_record(
    worker: Worker, occupation: Occupation | None, level: int | None, on: datetime.date
) -> SkillRecord | None:
    if level is None:
        return None
    return SkillRecord.objects.create(
        worker=worker, kind=SkillRecord.Kind.SKILL_LEVEL, occupation=occupation, level=level, obtained_on=on
    )


@transaction.atomic
def worker_create(*, data: Mapping[str, Any], actor: Any) -> Worker:
    cleaned = clean_worker(data, refs=ReferenceCache())
    if cleaned.errors:
        raise _invalid(cleaned.errors)
    values = dict(cleaned.values)
    occupation = values.pop("occupation", None)
    worker = Worker(**values)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise DomainError("invalid", "该身份证号码已登记", {"id_number": "该身份证号码已登记"}) from None
    record = _add_level_record(worker, occupation, worker.highest_level, datetime.date.today())
    after = snapshot(worker)
    if record is not None:
        after["skill_record"] = snapshot(record)
    audit_record(actor=actor, action="worker.create", target=worker, after=after)
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, data: Mapping[str, Any], actor: Any) -> Worker:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    # The level is derived from skill records (skill_record_add), not typed over.
    editable = {k: v for k, v in data.items() if k not in ("highest_level", "occupation")}
    cleaned = clean_worker(editable, refs=ReferenceCache(), instance=worker, partial=True)
    if cleaned.errors:
        raise _invalid(cleaned.errors)
    before = snapshot(worker)
    for name, value in cleaned.values.items():
        setattr(worker, name, value)
    worker.save()
    audit_record(actor=actor, action="worker.update", target=worker, before=before, after=snapshot(worker))
    return worker


@transaction.atomic
def skill_record_add(
    *,
    worker: Worker,
    kind: str,
    actor: Any,
    obtained_on: datetime.date,
    occupation: Occupation | None = None,
    level: int | None = None,
    title_grade: str = "",
    honour: str = "",
    name: str = "",
    certificate_number: str = "",
) -> SkillRecord:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    errors: dict[str, str] = {}
    if kind not in SkillRecord.Kind.values:
        errors["kind"] = "未知类别"
    if kind == SkillRecord.Kind.SKILL_LEVEL and level not in (1, 2, 3, 4, 5):
        errors["level"] = "技能等级应为1-5"
    if kind == SkillRecord.Kind.PROFESSIONAL_TITLE and title_grade not in SkillRecord.TitleGrade.values:
        errors["title_grade"] = "职称级别应为高级、中级或初级"
    if kind == SkillRecord.Kind.HONOUR and honour not in SkillRecord.Honour.values:
        errors["honour"] = "未知称号"
    if obtained_on > datetime.date.today():
        errors["obtained_on"] = "取得日期不能晚于今天"
    if errors:
        raise _invalid(errors)
    record = SkillRecord.objects.create(
        worker=worker,
        kind=kind,
        occupation=occupation,
        level=level,
        title_grade=title_grade,
        honour=honour,
        name=name,
        obtained_on=obtained_on,
        certificate_number=certificate_number,
    )
    before_level = worker.highest_level
    if (
        kind == SkillRecord.Kind.SKILL_LEVEL
        and level is not None
        and (before_level is None or level < before_level)
    ):
        worker.highest_level = level
        worker.save(update_fields=["highest_level", "updated_at"])
    audit_record(
        actor=actor,
        action="skill_record.add",
        target=record,
        after={**snapshot(record), "worker_highest_level": [before_level, worker.highest_level]},
    )
    return record


@transaction.atomic
def personal_data_export_record(*, actor: Any, what: str, filters: Mapping[str, Any]) -> None:
    """An export with full ID numbers is a full view of every row in it (PIPL): record who and which list."""
    audit_record(
        actor=actor,
        action="personal_data.export",
        target_type=f"registry.{what}",
        target_id="list",
        after={"filters": dict(filters)},
    )


@transaction.atomic
def worker_status_record(
    *,
    worker: Worker,
    kind: str,
    valid_from: datetime.date,
    actor: Any,
    valid_to: datetime.date | None = None,
    source: str = "",
) -> WorkerStatus:
    """Record that a worker is retired, a full-time student or deceased from a date (SUP-GHOST reads it)."""
    errors: dict[str, str] = {}
    if kind not in WorkerStatusKind.values:
        errors["kind"] = "未知状态"
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "截止日期不能早于起始日期"
    if errors:
        raise _invalid(errors)
    status = WorkerStatus.objects.create(
        worker=worker, kind=kind, valid_from=valid_from, valid_to=valid_to, source=source.strip()
    )
    audit_record(actor=actor, action="worker_status.record", target=status, after=snapshot(status))
    return status
