"""Every write of the training app: one function per action, one transaction, one audit row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

import polars as pl
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_append, audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.periods import HalfYear
from skillcity.core.rawsql import Statement, convert_value, driver_cursor
from skillcity.core.uploads import formula_cells, open_xlsx
from skillcity.registry.models import Occupation, Organisation, Worker
from skillcity.training.cards import card_service
from skillcity.training.codes import voucher_code_is_valid, voucher_code_new, voucher_code_normalise
from skillcity.training.models import (
    ENTERPRISE_CATEGORIES,
    Attendance,
    Enrolment,
    Redemption,
    Settlement,
    SettlementLine,
    ShortageCatalogEntry,
    TrainingClass,
    TrainingProject,
    Voucher,
    VoucherBatch,
    VoucherEvent,
    VoucherState,
)
from skillcity.training.subsidy import evaluate_enrolments, fen_to_decimal


def _actor_label(actor: Any) -> str:
    return str(getattr(actor, "username", actor) or "")


# ---------------------------------------------------------------- projects, classes, enrolments


@transaction.atomic
def project_create(
    *,
    provider: Organisation,
    name: str,
    occupation: Occupation,
    level: int | None,
    per_person_standard: Decimal,
    capacity: int,
    start_date: datetime.date,
    end_date: datetime.date,
    actor: Any,
) -> TrainingProject:
    fields: dict[str, str] = {}
    if not name.strip():
        fields["name"] = _("请填写项目名称")
    if per_person_standard < 0:
        fields["per_person_standard"] = _("补贴标准不能为负数")
    if capacity < 1:
        fields["capacity"] = _("计划人数至少为 1")
    if end_date < start_date:
        fields["end_date"] = _("结束日期不能早于开始日期")
    if level is not None and not 1 <= level <= 5:
        fields["level"] = _("等级应为 1–5")
    if fields:
        raise DomainError("invalid_project", _("培训项目信息有误"), fields)
    project = TrainingProject.objects.create(
        provider=provider,
        name=name.strip(),
        occupation=occupation,
        level=level,
        per_person_standard=per_person_standard,
        capacity=capacity,
        start_date=start_date,
        end_date=end_date,
        town=provider.town,
    )
    audit_record(actor=actor, action="training_project.create", target=project, after=snapshot(project))
    return project


@transaction.atomic
def class_create(
    *, project: TrainingProject, name: str, start_date: datetime.date, end_date: datetime.date, actor: Any
) -> TrainingClass:
    if end_date < start_date:
        raise DomainError(
            "invalid_class", _("结业日期不能早于开班日期"), {"end_date": _("结业日期不能早于开班日期")}
        )
    training_class = TrainingClass.objects.create(
        project=project, name=name.strip() or project.name, start_date=start_date, end_date=end_date
    )
    audit_record(
        actor=actor, action="training_class.create", target=training_class, after=snapshot(training_class)
    )
    return training_class


@transaction.atomic
def enrolment_create(
    *, training_class: TrainingClass, worker: Worker, enrolled_on: datetime.date, actor: Any
) -> Enrolment:
    project = TrainingProject.objects.select_for_update().get(pk=training_class.project_id)
    taken = (
        Enrolment.objects.filter(training_class__project=project)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .count()
    )
    if taken >= project.capacity:
        raise DomainError("project_full", _("培训项目已满员"), {"training_class": _("培训项目已满员")})
    if Enrolment.objects.filter(training_class=training_class, worker=worker).exists():
        raise Conflict("already_enrolled", _("该学员已报名此班"))
    enrolment = Enrolment.objects.create(
        training_class=training_class,
        provider_id=project.provider_id,
        worker=worker,
        town_id=project.town_id,
        enrolled_on=enrolled_on,
        trainee_is_provider_employee=worker.employer_id == project.provider_id,
    )
    audit_record(actor=actor, action="enrolment.create", target=enrolment, after=snapshot(enrolment))
    return enrolment


@transaction.atomic
def attendance_sign_in(*, enrolment: Enrolment, day: datetime.date, actor: Any) -> Attendance:
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise DomainError("not_in_training", _("学员不在训，不能签到"))
    if Attendance.objects.filter(enrolment=enrolment, day=day).exists():
        raise Conflict("already_signed_in", _("该学员当天已签到"))
    attendance = Attendance.objects.create(enrolment=enrolment, day=day)
    audit_record(actor=actor, action="attendance.sign_in", target=enrolment, after={"day": day})
    return attendance


@transaction.atomic
def enrolment_complete(
    *,
    enrolment: Enrolment,
    completed_on: datetime.date,
    passed: bool,
    assessment_score: Decimal | None,
    certified_level: int | None,
    actor: Any,
) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise DomainError("not_in_training", _("该报名已结业或已退出"))
    if completed_on < enrolment.enrolled_on:
        raise DomainError(
            "invalid_completion", _("结业日期早于报名日期"), {"completed_on": _("结业日期早于报名日期")}
        )
    if certified_level is not None and not 1 <= certified_level <= 5:
        raise DomainError(
            "invalid_completion", _("证书等级应为 1–5"), {"certified_level": _("证书等级应为 1–5")}
        )
    before = snapshot(enrolment)
    enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED
    enrolment.completed_on = completed_on
    enrolment.assessment_score = assessment_score
    enrolment.certified_level = certified_level if passed else None
    enrolment.save(update_fields=["status", "completed_on", "assessment_score", "certified_level"])
    audit_record(
        actor=actor, action="enrolment.complete", target=enrolment, before=before, after=snapshot(enrolment)
    )
    return enrolment


# ---------------------------------------------------------------- shortage catalog (TRN-SHORTAGE)


SHORTAGE_HEADER = ["职业编码", "类别"]


def shortage_catalog_import(*, year: int, file: bytes | BinaryIO, actor: Any) -> int:
    """Replace the catalog of `year` from an .xlsx (columns: 职业编码, 类别). All rows or none.

    Checked as the other imports are: the file's bounds before it is unpacked, the header row, no
    formula cells; every bad row is listed."""
    from openpyxl.utils import get_column_letter

    workbook = open_xlsx(
        file, unreadable=_("文件不是有效的 .xlsx 工作簿"), reason=_("文件不是有效的 .xlsx 工作簿")
    )
    sheet = workbook.worksheets[0]
    errors: list[str] = [
        _("第 %(n)d 行，%(c)s：是公式，不能导入；请改为直接填写数值或文字")
        % {"n": row, "c": SHORTAGE_HEADER[column - 1] if column <= 2 else get_column_letter(column)}
        for row, column in formula_cells(sheet.iter_rows())
    ]
    header = [str(v or "").strip() for v in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    while header and not header[-1]:
        header.pop()
    if header != SHORTAGE_HEADER:
        errors.insert(
            0,
            _("第 1 行，表头：应为“职业编码、类别”，文件中为“%(h)s”") % {"h": "、".join(header) or _("空")},
        )
    if errors:
        raise DomainError(
            "invalid_rows",
            _("导入文件有 %(n)d 处错误，未导入任何数据") % {"n": len(errors)},
            {"rows": errors},
        )
    occupations = dict(Occupation.objects.values_list("code", "id"))
    rows: list[tuple[int, str]] = []
    seen: set[int] = set()
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(v in (None, "") for v in row):
            continue
        code = str(row[0] or "").strip()
        category = str(row[1] or "").strip() if len(row) > 1 else ""
        if code not in occupations:
            errors.append(_("第 %(n)d 行，职业编码：“%(c)s”不在职业目录中") % {"n": number, "c": code[:30]})
        elif occupations[code] in seen:
            errors.append(_("第 %(n)d 行，职业编码：“%(c)s”重复") % {"n": number, "c": code})
        elif len(category) > 20:
            errors.append(_("第 %(n)d 行，类别：不能超过 20 个字") % {"n": number})
        else:
            seen.add(occupations[code])
            rows.append((occupations[code], category))
    if errors:
        raise DomainError(
            "invalid_rows",
            _("导入文件有 %(n)d 行错误，未导入任何数据") % {"n": len(errors)},
            {"rows": errors},
        )
    if not rows:
        raise DomainError("empty_file", _("文件没有数据行"), {"file": _("文件没有数据行")})
    return _shortage_catalog_replace(year=year, rows=rows, actor=actor)


@transaction.atomic
def _shortage_catalog_replace(*, year: int, rows: list[tuple[int, str]], actor: Any) -> int:
    removed = ShortageCatalogEntry.objects.filter(year=year).delete()[0]
    ShortageCatalogEntry.objects.bulk_create(
        [ShortageCatalogEntry(year=year, occupation_id=o, category=c) for o, c in rows]
    )
    audit_record(
        actor=actor,
        action="shortage_catalog.import",
        target_type="training.shortagecatalog",
        target_id=year,
        before={"entries": removed},
        after={"entries": len(rows)},
    )
    return len(rows)


# ---------------------------------------------------------------- vouchers (TRN-VOUCHER)


@transaction.atomic
def voucher_batch_issue(
    *,
    name: str,
    face_value: Decimal,
    valid_from: datetime.date,
    valid_to: datetime.date,
    workers: Any,
    occupations: list[Occupation] | None = None,
    actor: Any,
    is_demo_value: bool = True,
) -> VoucherBatch:
    """Issue one voucher to each of `workers` (a queryset, already filtered by eligibility)."""
    if face_value <= 0:
        raise DomainError("invalid_batch", _("面值必须大于 0"), {"face_value": _("面值必须大于 0")})
    if valid_to < valid_from:
        raise DomainError(
            "invalid_batch", _("有效期止不能早于有效期起"), {"valid_to": _("有效期止不能早于有效期起")}
        )
    batch = VoucherBatch.objects.create(
        name=name,
        face_value=face_value,
        valid_from=valid_from,
        valid_to=valid_to,
        is_demo_value=is_demo_value,
    )
    if occupations:
        batch.occupations.set(occupations)
    rows = list(workers.values_list("id", "town_id", "id_number"))
    vouchers = [
        Voucher(
            code=voucher_code_new(),
            worker_id=w,
            town_id=t,
            batch=batch,
            face_value=face_value,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for w, t, _i in rows
    ]
    Voucher.objects.bulk_create(vouchers, batch_size=2000)
    created = Voucher.objects.filter(batch=batch).values_list("id", "code", "worker__id_number")
    label = _actor_label(actor)
    events, card_rows = [], []
    for pk, code, id_number in created:
        events.append(VoucherEvent(voucher_id=pk, state=VoucherState.ISSUED, actor_label=label))
        card_rows.append((code, id_number))
    VoucherEvent.objects.bulk_create(events, batch_size=2000)
    service = card_service()
    if hasattr(service, "issue_many"):
        service.issue_many(card_rows)
    else:
        for code, id_number in card_rows:
            service.issue(voucher_code=code, id_number=id_number)
    batch.issued_count = len(rows)
    batch.save(update_fields=["issued_count"])
    audit_record(
        actor=actor,
        action="voucher_batch.issue",
        target=batch,
        after={**snapshot(batch), "occupations": [o.code for o in occupations or []]},
    )
    return batch


@dataclass(frozen=True)
class Redeemer:
    """The provider redeeming and the person acting for it, as plain values."""

    provider_id: int
    provider_name: str
    actor_id: int | None
    actor_label: str

    @classmethod
    def acting(cls, provider: Organisation, actor: Any) -> Redeemer:
        user = actor if getattr(actor, "is_authenticated", False) else None
        return cls(provider.pk, provider.name, user.pk if user else None, _actor_label(actor))


@dataclass(frozen=True)
class RedemptionReceipt:
    """What a redemption stored, as the counter is told it (and a replay is told it again)."""

    id: int
    voucher_code: str
    amount: Decimal
    enrolment_id: int | None
    redeemed_at: datetime.datetime


def voucher_redeem(
    *,
    code: str,
    provider: Organisation,
    idempotency_key: str,
    actor: Any,
    enrolment: Enrolment | None = None,
    today: datetime.date | None = None,
) -> Redemption:
    """`voucher_redeem_receipt` for a provider and an actor given as model instances; the stored row."""
    receipt = voucher_redeem_receipt(
        code=code,
        idempotency_key=idempotency_key,
        redeemer=Redeemer.acting(provider, actor),
        enrolment=enrolment,
        today=today,
    )
    return Redemption.objects.select_related("voucher").get(pk=receipt.id)


@transaction.atomic
def voucher_redeem_receipt(
    *,
    code: str,
    idempotency_key: str,
    redeemer: Redeemer,
    enrolment: Enrolment | None = None,
    today: datetime.date | None = None,
) -> RedemptionReceipt:
    """Redeem a voucher at enrolment, exactly once under any concurrency.

    One conditional UPDATE … RETURNING claims the voucher (… WHERE state='issued' and valid
    today): of many concurrent requests exactly one changes the row, the others find nothing to
    claim and are told why. Then the redemption, its ledger event and the audit row are inserted.
    Anything refused after the claim — a reused idempotency key, an enrolment that does not fit —
    raises, and the transaction takes the claim back with the rest. The unique constraints (one
    Redemption per voucher, one per provider and key, one 'redeemed' event per voucher) back it up.

    Providers redeem at the counter, many at once: this is plain SQL on plain values, one cursor
    and no model instances (skillcity.core.rawsql), and the API serves it as a hot route
    (skillcity.training.hot); see bench/vouchers.py for what it sustains.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise DomainError(
            "invalid_idempotency_key", _("缺少幂等键"), {"idempotency_key": _("需为 1–64 个字符")}
        )
    normalised = _voucher_code_checked(code)
    today = today or timezone.localdate()
    db = connections[DEFAULT_DB_ALIAS]
    ops = db.ops
    day = ops.adapt_datefield_value(today)
    with driver_cursor(db) as cursor:
        row = _CLAIM.run(
            cursor, [VoucherState.REDEEMED.value, normalised, VoucherState.ISSUED.value, day, day]
        ).fetchone()
        if row is None:
            return _redeem_refused(code=normalised, provider_id=redeemer.provider_id, key=key, today=today)
        voucher_id, worker_id, batch_id = row[0], row[1], row[2]
        amount = convert_value(Voucher, "face_value", row[3])
        if enrolment is not None:
            _redeem_check_enrolment(worker_id, batch_id, enrolment, redeemer.provider_id)
        now = timezone.now()
        at = ops.adapt_datetimefield_value(now)
        enrolment_id = enrolment.pk if enrolment is not None else None
        try:
            redemption_id = _INSERT_REDEMPTION.run(
                cursor,
                [
                    voucher_id,
                    redeemer.provider_id,
                    enrolment_id,
                    key,
                    ops.adapt_decimalfield_value(amount, 10, 2),
                    at,
                ],
            ).fetchone()[0]
            _INSERT_EVENT.run(
                cursor,
                [
                    voucher_id,
                    VoucherState.REDEEMED.value,
                    at,
                    redeemer.actor_label[:100],
                    redeemer.provider_name[:200],
                ],
            )
        except IntegrityError:
            raise _key_reused() from None
        audit_append(
            actor_id=redeemer.actor_id,
            actor_label=redeemer.actor_label or "system",
            action="voucher.redeem",
            target_type=Voucher._meta.label_lower,
            target_id=str(voucher_id),
            target_label=normalised,  # str(voucher) is its code
            before={"state": VoucherState.ISSUED.value},
            after={
                "state": VoucherState.REDEEMED.value,
                "provider": redeemer.provider_id,
                "enrolment": enrolment_id,
            },
            cursor=cursor,
        )
    return RedemptionReceipt(redemption_id, normalised, amount, enrolment_id, now)


_CLAIM = Statement(
    "UPDATE training_voucher SET state = %s "
    "WHERE code = %s AND state = %s AND valid_from <= %s AND valid_to >= %s "
    "RETURNING id, worker_id, batch_id, face_value"
)
_INSERT_REDEMPTION = Statement(
    "INSERT INTO training_redemption "
    "(voucher_id, provider_id, enrolment_id, idempotency_key, amount, redeemed_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"
)
_INSERT_EVENT = Statement(
    "INSERT INTO training_voucherevent (voucher_id, state, at, actor_label, note) VALUES (%s, %s, %s, %s, %s)"
)


def _voucher_code_checked(code: str) -> str:
    normalised = voucher_code_normalise(code)
    if not voucher_code_is_valid(normalised):
        raise DomainError(
            "invalid_voucher_code", _("券码有误，请核对后重新输入"), {"code": _("券码校验失败")}
        )
    return normalised


def _key_reused() -> Conflict:
    # This provider already used the key for another voucher: a key names one request.
    return Conflict(
        "idempotency_key_reused", _("幂等键已被使用"), {"idempotency_key": _("已用于另一张培训券")}
    )


def _redeem_refused(*, code: str, provider_id: int, key: str, today: datetime.date) -> RedemptionReceipt:
    """Nothing was claimed: the same request again (replay its result), or say why not."""
    replay = (
        Redemption.objects.select_related("voucher")
        .filter(provider_id=provider_id, idempotency_key=key)
        .first()
    )
    if replay is not None:
        if replay.voucher.code != code:
            raise _key_reused()
        return RedemptionReceipt(
            replay.pk, replay.voucher.code, replay.amount, replay.enrolment_id, replay.redeemed_at
        )
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise DomainError("voucher_not_found", _("培训券不存在"), {"code": _("培训券不存在")}, status=404)
    if voucher.state == VoucherState.ISSUED:
        if today > voucher.valid_to:
            raise DomainError("voucher_expired", _("该培训券已过期"))
        if today < voucher.valid_from:
            raise DomainError("voucher_not_yet_valid", _("该培训券尚未生效"))
    messages: dict[str, str] = {
        VoucherState.REDEEMED: _("该培训券已核销"),
        VoucherState.SETTLED: _("该培训券已核销"),
        VoucherState.EXPIRED: _("该培训券已过期"),
        VoucherState.REVOKED: _("该培训券已撤销"),
    }
    raise Conflict("voucher_not_redeemable", messages.get(voucher.state, _("该培训券不能核销")))


def _redeem_check_enrolment(worker_id: int, batch_id: int, enrolment: Enrolment, provider_id: int) -> None:
    if enrolment.worker_id != worker_id:
        raise DomainError("voucher_other_worker", _("该培训券不属于此学员"))
    if enrolment.provider_id != provider_id:
        raise DomainError("enrolment_other_provider", _("该报名不属于本单位"))
    chosen = VoucherBatch.occupations.through.objects.filter(voucherbatch_id=batch_id)
    allowed = set(chosen.values_list("occupation_id", flat=True))
    occupation_id = (
        TrainingProject.objects.filter(classes__enrolments=enrolment)
        .values_list("occupation_id", flat=True)
        .first()
    )
    if allowed and occupation_id not in allowed:
        raise DomainError("voucher_ineligible_occupation", _("该培训券不适用于此职业（工种）"))


@transaction.atomic
def voucher_revoke(*, voucher: Voucher, reason: str, actor: Any) -> Voucher:
    changed = Voucher.objects.filter(pk=voucher.pk, state=VoucherState.ISSUED).update(
        state=VoucherState.REVOKED
    )
    if changed != 1:
        raise Conflict("voucher_not_revocable", _("只有已发放未使用的培训券可以撤销"))
    VoucherEvent.objects.create(
        voucher=voucher, state=VoucherState.REVOKED, actor_label=_actor_label(actor), note=reason[:200]
    )
    card_service().revoke(voucher_code=voucher.code)
    audit_record(
        actor=actor,
        action="voucher.revoke",
        target=voucher,
        before={"state": VoucherState.ISSUED},
        after={"state": VoucherState.REVOKED, "reason": reason},
    )
    voucher.refresh_from_db()
    return voucher


def vouchers_expire(*, today: datetime.date, actor: Any = "system", chunk_size: int = 5000) -> int:
    """Expire every issued voucher whose validity ended before `today`, chunk by chunk (resumable)."""
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Voucher.objects.filter(state=VoucherState.ISSUED, valid_to__lt=today).values_list(
                    "id", flat=True
                )[:chunk_size]
            )
            if not ids:
                return total
            # Conditional: a voucher redeemed meanwhile is left alone.
            changed_ids = list(
                Voucher.objects.filter(id__in=ids, state=VoucherState.ISSUED).values_list("id", flat=True)
            )
            Voucher.objects.filter(id__in=changed_ids, state=VoucherState.ISSUED).update(
                state=VoucherState.EXPIRED
            )
            VoucherEvent.objects.bulk_create(
                [
                    VoucherEvent(voucher_id=i, state=VoucherState.EXPIRED, actor_label=str(actor))
                    for i in changed_ids
                ],
                ignore_conflicts=True,
            )
            audit_record(
                actor=actor,
                action="voucher.expire",
                target_type="training.voucher",
                target_id=f"{changed_ids[0]}…{changed_ids[-1]}",
                after={"count": len(changed_ids), "today": today},
            )
            total += len(changed_ids)


# ---------------------------------------------------------------- settlement


def settlement_run(
    *,
    provider: Organisation,
    period: HalfYear,
    actor: Any = "system",
    chunk_size: int = 50_000,
    max_chunks: int | None = None,
) -> Settlement:
    """Settle a provider's completed enrolments of a half year, chunk by chunk.

    Each chunk commits its lines and the checkpoint together, so a job killed half-way resumes after
    the last committed chunk; lines are unique per (enrolment, rule) and inserted with ON CONFLICT DO
    NOTHING, so even a replayed chunk adds nothing twice. `max_chunks` stops early (tests, fault drills).
    """
    with transaction.atomic():
        settlement, created = Settlement.objects.get_or_create(provider=provider, period=str(period))
        if created:
            audit_record(
                actor=actor, action="settlement.start", target=settlement, after=snapshot(settlement)
            )
    if settlement.status != Settlement.Status.RUNNING:
        return settlement
    provider_is_enterprise = provider.category in ENTERPRISE_CATEGORIES
    shortage = set(ShortageCatalogEntry.objects.values_list("year", "occupation_id"))
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        rows = list(
            Enrolment.objects.filter(
                provider=provider,
                status=Enrolment.Status.COMPLETED,
                completed_on__gte=period.start,
                completed_on__lte=period.end,
                id__gt=settlement.checkpoint,
            )
            .order_by("id")
            .values_list(
                "id",
                "worker_id",
                "completed_on",
                "certified_level",
                "trainee_is_provider_employee",
                "training_class__project__per_person_standard",
                "training_class__project__occupation_id",
            )[:chunk_size]
        )
        if not rows:
            break
        _settlement_chunk_write(
            settlement=settlement, rows=rows, shortage=shortage, provider_is_enterprise=provider_is_enterprise
        )
        chunks += 1
    else:
        return settlement
    return _settlement_finish(settlement=settlement, actor=actor)


@transaction.atomic
def _settlement_chunk_write(
    *,
    settlement: Settlement,
    rows: list[tuple[Any, ...]],
    shortage: set[tuple[int, int]],
    provider_is_enterprise: bool,
) -> None:
    frame = pl.DataFrame(
        {
            "enrolment_id": [r[0] for r in rows],
            "worker_id": [r[1] for r in rows],
            "date": [r[2] for r in rows],
            "project_standard": [str(r[5]) for r in rows],
            "completed": [True] * len(rows),
            "certified_level": [r[3] for r in rows],
            # TRN-UPSKILL: the catalog in force on the event date is that year's catalog.
            "in_shortage_catalog": [(r[2].year, r[6]) in shortage for r in rows],
            "provider_is_enterprise": [provider_is_enterprise] * len(rows),
            "trainee_is_provider_employee": [r[4] for r in rows],
        },
        schema_overrides={"certified_level": pl.Int64},
    )
    lines, errors = evaluate_enrolments(frame)
    if errors.height:
        # Refused by the policy engine (bad stored facts): no line, and said where the bureau sees it,
        # in the same transaction as the chunk; the rest of the settlement goes on.
        audit_record(
            actor="system",
            action="settlement.rows_refused",
            target=settlement,
            after={"refused": errors.to_dicts()},
        )
    table = SettlementLine._meta.db_table
    sql = (
        f"INSERT INTO {table} (settlement_id, enrolment_id, worker_id_ref, rule, payee, amount) "
        f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (enrolment_id, rule) DO NOTHING"
    )
    params = [
        (settlement.pk, e, w, rule, payee, str(fen_to_decimal(fen)))
        for e, w, rule, payee, fen in lines.iter_rows()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    settlement.checkpoint = rows[-1][0]
    Settlement.objects.filter(pk=settlement.pk).update(checkpoint=settlement.checkpoint)


@transaction.atomic
def _settlement_finish(*, settlement: Settlement, actor: Any) -> Settlement:
    totals = SettlementLine.objects.filter(settlement=settlement).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    before = snapshot(settlement)
    settlement.line_count = totals["n"] or 0
    settlement.total_amount = totals["total"] or Decimal("0")
    settlement.status = Settlement.Status.CALCULATED
    settlement.save(update_fields=["line_count", "total_amount", "status"])
    audit_record(
        actor=actor,
        action="settlement.calculate",
        target=settlement,
        before=before,
        after=snapshot(settlement),
    )
    return settlement


@transaction.atomic
def settlement_approve(*, settlement: Settlement, actor: Any) -> Settlement:
    # The grants workflow is the one path for money once it exists; until then the bureau approves here.
    changed = Settlement.objects.filter(pk=settlement.pk, status=Settlement.Status.CALCULATED).update(
        status=Settlement.Status.APPROVED, approved_at=timezone.now()
    )
    if changed != 1:
        raise Conflict("settlement_not_approvable", _("只有待审批的结算单可以审批"))
    audit_record(
        actor=actor,
        action="settlement.approve",
        target=settlement,
        before={"status": settlement.status},
        after={"status": Settlement.Status.APPROVED},
    )
    settlement.refresh_from_db()
    return settlement


@transaction.atomic
def settlement_pay(*, settlement: Settlement, idempotency_key: str, actor: Any) -> Settlement:
    """Pay once: a replay with the same key returns the paid settlement; the redeemed vouchers settle."""
    current = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if current.status == Settlement.Status.PAID:
        if current.payment_key == idempotency_key:
            return current
        raise Conflict("settlement_already_paid", _("该结算单已拨付"))
    if current.status != Settlement.Status.APPROVED:
        raise Conflict("settlement_not_approved", _("结算单尚未审批，不能拨付"))
    current.status = Settlement.Status.PAID
    current.paid_at = timezone.now()
    current.payment_key = idempotency_key
    current.save(update_fields=["status", "paid_at", "payment_key"])
    period = HalfYear.parse(current.period)
    voucher_ids = list(
        Redemption.objects.filter(
            provider_id=current.provider_id,
            enrolment__status=Enrolment.Status.COMPLETED,
            enrolment__completed_on__gte=period.start,
            enrolment__completed_on__lte=period.end,
            voucher__state=VoucherState.REDEEMED,
        ).values_list("voucher_id", flat=True)
    )
    Voucher.objects.filter(id__in=voucher_ids, state=VoucherState.REDEEMED).update(state=VoucherState.SETTLED)
    VoucherEvent.objects.bulk_create(
        [
            VoucherEvent(voucher_id=i, state=VoucherState.SETTLED, actor_label=_actor_label(actor))
            for i in voucher_ids
        ],
        ignore_conflicts=True,
    )
    audit_record(
        actor=actor,
        action="settlement.pay",
        target=current,
        before={"status": Settlement.Status.APPROVED},
        after={"status": Settlement.Status.PAID, "vouchers_settled": len(voucher_ids)},
    )
    return current
