"""Paying several approved applications at once (批量拨付), all or nothing.

A treasury officer sends one transfer order for a batch under one 国库支付凭证号, so the batch is paid
whole or not at all: if any chosen application cannot be paid (not approved, already paid, no fund to
book against, a fund short), nothing is paid and every refused row is listed with its reason, so the
officer fixes them (or leaves them out) and pays the batch again.

Each payment is still made by `_payment_make` (its row lock, fund entries, audit row, timeline event and
notification), under the key `<batch key>:<application id>`; the batch itself is remembered in
core's `IdempotencyRecord` (scope `grants.payment_batch`) with its answer, so a repeated request — a
double click, the browser's back button and a resubmit — with the same key pays nothing again and
gets the first answer back. The same key for another set of applications is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import IdempotencyRecord
from skillcity.grants import flows
from skillcity.grants.models import Application, Fund, FundEntry
from skillcity.grants.services.common import S
from skillcity.grants.services.payments import (
    FundMissing,
    _payment_make,
    fund_for,
    hold_message,
    treasury_reference_clean,
)

BATCH_SCOPE = "grants.payment_batch"
PAYMENT_BATCH_MAX = 500  # rows of one batch: a page of the list at most, and one transaction's worth


@dataclass
class Refusal:
    """A chosen application that cannot be paid, and why (with the fund creation link, when a fund is
    missing)."""

    application_id: int
    applicant: str
    message: str
    code: str
    create_url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "application": self.application_id,
            "applicant": self.applicant,
            "code": self.code,
            "message": self.message,
            "create_url": self.create_url,
        }


@dataclass
class FundShare:
    fund: Fund
    count: int = 0
    total: Decimal = Decimal("0")
    uncommitted: list[Application] = field(default_factory=list)


@dataclass
class BatchPlan:
    """What paying the chosen applications would do: the payable ones, the refused ones with their
    reasons, the distinct payees (units and persons), the total, and the total by fund."""

    payable: list[Application] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    by_fund: list[FundShare] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.decided_amount or Decimal("0") for a in self.payable), Decimal("0"))

    @property
    def units(self) -> int:
        return len({a.organisation_id for a in self.payable if a.organisation_id})

    @property
    def persons(self) -> int:
        return len({a.worker_id for a in self.payable if a.worker_id and not a.organisation_id})

    @property
    def payees(self) -> int:
        return self.units + self.persons


class PaymentBatchRefused(DomainError):
    """The batch pays nothing: every refused row is listed (`refusals`)."""

    status = 409

    def __init__(self, refusals: list[Refusal]):
        super().__init__(
            "payment_batch_refused",
            _("有 %(n)s 件申请不能拨付，本批次未拨付任何款项") % {"n": len(refusals)},
            {"ids": [f"#{r.application_id}：{r.message}" for r in refusals]},
        )
        self.refusals = refusals

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["refused"] = [r.as_dict() for r in self.refusals]
        return data


def payment_batch_ids(raw: Iterable[Any]) -> list[int]:
    """The chosen application ids, each once, in order; at least one, at most PAYMENT_BATCH_MAX."""
    ids: list[int] = []
    for value in raw:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 12:
            raise DomainError("bad_ids", _("申请编号有误：%(v)s") % {"v": text[:20]}, {"ids": _("须为数字")})
        if int(text) not in ids:
            ids.append(int(text))
    if not ids:
        raise DomainError("ids_required", _("请勾选要拨付的申请"), {"ids": _("请至少勾选一件")})
    if len(ids) > PAYMENT_BATCH_MAX:
        raise DomainError(
            "too_many_ids",
            _("一次至多拨付 %(n)s 件") % {"n": PAYMENT_BATCH_MAX},
            {"ids": _("一次至多 %(n)s 件") % {"n": PAYMENT_BATCH_MAX}},
        )
    return ids


def _require_finance(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以拨付"))


def payment_batch_plan(*, ids: list[int], actor: Any, lock: bool = False) -> BatchPlan:
    """Read what paying `ids` would do (nothing is written). With `lock`, inside the paying
    transaction, the applications are locked (in id order, so two batches never deadlock)."""
    _require_finance(actor)
    qs = Application.objects.select_related("town", "organisation", "worker").order_by("pk")
    if lock:
        qs = qs.select_for_update(of=("self",))
    found = {a.pk: a for a in qs.filter(pk__in=ids)}
    commitments = {
        e.application_id: e
        for e in FundEntry.objects.filter(application_id__in=ids, kind=FundEntry.Kind.COMMITMENT)
        .select_related("fund")
        .order_by("pk")
    }
    plan = BatchPlan()
    shares: dict[int, FundShare] = {}
    fund_of: dict[int, FundShare] = {}
    for pk in ids:
        app = found.get(pk)
        if app is None:
            plan.refused.append(Refusal(pk, "", str(_("申请不存在")), "not_found"))
            continue
        refusal = _refusal(app)
        if refusal is not None:
            plan.refused.append(refusal)
            continue
        commitment = commitments.get(app.pk)
        fund = commitment.fund if commitment is not None else fund_for(app)
        if fund is None:
            missing = FundMissing(app.rule_id, app.event_date.year)
            plan.refused.append(
                Refusal(app.pk, app.applicant_name, str(missing.message), missing.code, missing.create_url)
            )
            continue
        share = shares.setdefault(fund.pk, FundShare(fund))
        if commitment is None:
            # Approved before approvals drew on a fund: booked only now, so the fund must carry it.
            share.uncommitted.append(app)
        fund_of[app.pk] = share
        plan.payable.append(app)
    for share in shares.values():
        needed = sum((a.decided_amount or Decimal("0") for a in share.uncommitted), Decimal("0"))
        remaining = share.fund.balances()["remaining"]
        if needed > remaining:
            for app in share.uncommitted:
                plan.payable.remove(app)
                plan.refused.append(
                    Refusal(
                        app.pk,
                        app.applicant_name,
                        _("“%(f)s”剩余预算 %(r)s 元，不足以拨付")
                        % {"f": share.fund, "r": f"{remaining:,.2f}"},
                        "budget_exceeded",
                    )
                )
    for app in plan.payable:
        share = fund_of[app.pk]
        share.count += 1
        share.total += app.decided_amount or Decimal("0")
    plan.by_fund = sorted(
        (s for s in shares.values() if s.count), key=lambda s: (s.fund.programme, s.fund.year)
    )
    plan.refused.sort(key=lambda r: ids.index(r.application_id))
    return plan


def _refusal(app: Application) -> Refusal | None:
    if app.state == S.PAID:
        return Refusal(app.pk, app.applicant_name, str(_("已拨付，不能重复拨付")), "already_paid")
    if app.state != S.APPROVED or app.decided_amount is None:
        return Refusal(
            app.pk,
            app.applicant_name,
            _("当前状态为“%(s)s”，尚未核准，不能拨付") % {"s": app.get_state_display()},
            "not_approved",
        )
    held = hold_message(app)
    if held is not None:
        return Refusal(app.pk, app.applicant_name, held, "payment_on_hold")
    return None


def _fingerprint(ids: list[int], reference: str) -> str:
    text = ",".join(map(str, sorted(ids))) + "|" + reference
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(key: str, fingerprint: str) -> dict[str, Any] | None:
    record = IdempotencyRecord.objects.filter(scope=BATCH_SCOPE, key=key).first()
    if record is None:
        return None
    if record.request_fingerprint != fingerprint:
        raise Conflict(
            "idempotency_key_reused",
            _("该幂等键已用于另一批拨付"),
            {"idempotency_key": _("已用于另一批拨付")},
        )
    return {**record.response, "replayed": True}


def payment_batch_make(
    *, ids: list[int], actor: Any, idempotency_key: str, treasury_reference: str
) -> dict[str, Any]:
    """Pay every chosen application, or none (`PaymentBatchRefused` lists each refused row). The answer:
    the payments, the count, units and persons paid, the total and the treasury reference; a replay of
    the same key answers the same, with `replayed`."""
    _require_finance(actor)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:  # each payment's key is "<batch key>:<id>", at most 128
        raise DomainError(
            "idempotency_key_required",
            _("拨付请求必须带幂等键（1–100字符）"),
            {"idempotency_key": _("必须填写")},
        )
    reference = treasury_reference_clean(treasury_reference)
    fingerprint = _fingerprint(ids, reference)
    try:
        return _payment_batch_make(
            ids=ids, actor=actor, key=key, reference=reference, fingerprint=fingerprint
        )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its result.
        replay = _replay(key, fingerprint)
        if replay is not None:
            return replay
        raise Conflict("already_paid", _("所选申请中有已拨付的，请刷新后重试")) from None


@transaction.atomic
def _payment_batch_make(
    *, ids: list[int], actor: Any, key: str, reference: str, fingerprint: str
) -> dict[str, Any]:
    replay = _replay(key, fingerprint)
    if replay is not None:
        return replay
    plan = payment_batch_plan(ids=ids, actor=actor, lock=True)
    # Checked again under the locks: a same-key request that waited for them finds the first one's record.
    replay = _replay(key, fingerprint)
    if replay is not None:
        return replay
    if plan.refused:
        raise PaymentBatchRefused(plan.refused)
    payments = [
        _payment_make(application=app, actor=actor, key=f"{key}:{app.pk}", reference=reference)
        for app in plan.payable
    ]
    answer: dict[str, Any] = {
        "payments": [p.pk for p in payments],
        "applications": [app.pk for app in plan.payable],
        "count": len(payments),
        "units": plan.units,
        "persons": plan.persons,
        "total": str(plan.total),
        "treasury_reference": reference,
        "replayed": False,
    }
    record = IdempotencyRecord.objects.create(
        scope=BATCH_SCOPE, key=key, request_fingerprint=fingerprint, response=answer
    )
    audit_record(
        actor=actor,
        action="grants.payment.batch",
        target_type=BATCH_SCOPE,
        target_id=record.pk,
        target_label=_("批量拨付 %(n)s 笔（国库支付凭证号 %(r)s）") % {"n": len(payments), "r": reference},
        after={
            "key": key,
            "applications": answer["applications"],
            "total": answer["total"],
            "treasury_reference": reference,
        },
    )
    return answer
