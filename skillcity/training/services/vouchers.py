"""Vouchers (TRN-VOUCHER): batch issue, redemption (exactly once), revocation, expiry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_append, audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.rawsql import Statement, convert_value, driver_cursor
from skillcity.registry.models import Occupation, Organisation
from skillcity.training.cards import card_service
from skillcity.training.codes import voucher_code_is_valid, voucher_code_new, voucher_code_normalise
from skillcity.training.models import (
    Enrolment,
    Redemption,
    RedemptionReversal,
    TrainingProject,
    Voucher,
    VoucherBatch,
    VoucherEvent,
    VoucherEventKind,
    VoucherState,
)
from skillcity.training.services.common import _actor_label

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
        voucher_id, worker_id, batch_id, round_ = row[0], row[1], row[2], row[4]
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
                    round_,
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
                    round_,
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
    "RETURNING id, worker_id, batch_id, face_value, reversal_count"
)
_INSERT_REDEMPTION = Statement(
    "INSERT INTO training_redemption "
    "(voucher_id, round, provider_id, enrolment_id, idempotency_key, amount, redeemed_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id"
)
_INSERT_EVENT = Statement(
    "INSERT INTO training_voucherevent (voucher_id, state, round, at, actor_label, note) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
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
        voucher=voucher,
        state=VoucherState.REVOKED,
        round=voucher.reversal_count,
        actor_label=_actor_label(actor),
        note=reason[:200],
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
            changed = list(
                Voucher.objects.filter(id__in=ids, state=VoucherState.ISSUED).values_list(
                    "id", "reversal_count"
                )
            )
            changed_ids = [i for i, _r in changed]
            Voucher.objects.filter(id__in=changed_ids, state=VoucherState.ISSUED).update(
                state=VoucherState.EXPIRED
            )
            VoucherEvent.objects.bulk_create(
                [
                    VoucherEvent(voucher_id=i, state=VoucherState.EXPIRED, round=r, actor_label=str(actor))
                    for i, r in changed
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


# ---------------------------------------------------------------- taking a redemption back


def redemption_undo_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.REDEMPTION_UNDO_MINUTES)


@transaction.atomic
def redemption_reverse(*, redemption: Redemption, reason: str, actor: Any) -> RedemptionReversal:
    """Take a redemption back at the counter (the wrong card was scanned, the trainee left).

    The redemption row stays as it was; a RedemptionReversal row and a 'reversed' ledger entry record
    the undo, and the voucher is usable again in the next round (a new redemption is a new row).
    Only within SKILLCITY_REDEMPTION_UNDO_MINUTES of the redemption and before it is settled. Asking
    again for a redemption already reversed returns the first reversal (idempotent).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请填写撤回原因"), {"reason": _("请填写撤回原因")})
    if len(reason) > 200:
        raise DomainError("reason_too_long", _("撤回原因过长"), {"reason": _("不能超过 200 个字")})
    # Lock the voucher first: a settlement payment or a second undo waits for this one.
    voucher = Voucher.objects.select_for_update().get(pk=redemption.voucher_id)
    redemption = Redemption.objects.get(pk=redemption.pk)
    existing = RedemptionReversal.objects.filter(redemption=redemption).first()
    if existing is not None:
        return existing
    if voucher.state == VoucherState.SETTLED or voucher.reversal_count != redemption.round:
        raise Conflict("redemption_settled", _("该核销已结算，不能撤回"))
    if voucher.state != VoucherState.REDEEMED:
        raise Conflict(
            "redemption_not_reversible",
            _("该培训券状态为“%(s)s”，不能撤回核销") % {"s": voucher.get_state_display()},
        )
    now = timezone.now()
    if now - redemption.redeemed_at > redemption_undo_window():
        raise Conflict(
            "undo_window_passed",
            _("核销已超过 %(m)s 分钟，不能撤回") % {"m": settings.REDEMPTION_UNDO_MINUTES},
        )
    changed = Voucher.objects.filter(
        pk=voucher.pk, state=VoucherState.REDEEMED, reversal_count=redemption.round
    ).update(state=VoucherState.ISSUED, reversal_count=redemption.round + 1)
    if changed != 1:  # the lock above makes this unreachable; the conditional update backs it up
        raise Conflict("redemption_not_reversible", _("该培训券状态已变化，请刷新后重试"))
    user = actor if getattr(actor, "is_authenticated", False) else None
    reversal = RedemptionReversal.objects.create(
        redemption=redemption, reason=reason, actor=user, actor_label=_actor_label(actor)[:100]
    )
    VoucherEvent.objects.create(
        voucher=voucher,
        state=VoucherEventKind.REVERSED,
        round=redemption.round,
        actor_label=_actor_label(actor)[:100],
        note=reason[:200],
    )
    audit_record(
        actor=actor,
        action="voucher.redemption_reverse",
        target=voucher,
        before={"state": VoucherState.REDEEMED, "redemption": redemption.pk},
        after={"state": VoucherState.ISSUED, "reason": reason, "round": redemption.round + 1},
    )
    return reversal
