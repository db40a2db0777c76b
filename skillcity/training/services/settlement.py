"""Half-year settlement through the policy engine, approval and payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Organisation
from skillcity.training.models import (
    ENTERPRISE_CATEGORIES,
    Enrolment,
    Redemption,
    Settlement,
    SettlementLine,
    ShortageCatalogEntry,
    Voucher,
    VoucherEvent,
    VoucherState,
)
from skillcity.training.services.common import _actor_label
from skillcity.training.subsidy import evaluate_enrolments, fen_to_decimal

# ---------------------------------------------------------------- settlement


def period_label(period: HalfYear | str) -> str:
    """2025H1 -> 2025年上半年 (the page never shows the code)."""
    half = HalfYear.parse(period) if isinstance(period, str) else period
    return (_("%(y)s年上半年") if half.half == 1 else _("%(y)s年下半年")) % {"y": half.year}


def _settleable(provider: Organisation, period: HalfYear) -> Any:
    return Enrolment.objects.filter(
        provider=provider,
        status=Enrolment.Status.COMPLETED,
        completed_on__gte=period.start,
        completed_on__lte=period.end,
    )


def settlement_start(*, provider: Organisation, period: HalfYear, actor: Any) -> Settlement:
    """Start a half-year settlement from the page: the row (with the count of enrolments to settle, for
    the progress bar) now, the run itself as a background job once this transaction commits. A period
    already started is returned as it stands, never started twice."""
    from skillcity.training.tasks import settlement_run_task

    if period.end >= timezone.localdate():
        raise DomainError(
            "period_not_ended",
            _("%(p)s 尚未结束，半年结束后方可结算") % {"p": period_label(period)},
            {"period": _("请选择已结束的半年")},
        )
    with transaction.atomic():
        settlement, created = Settlement.objects.get_or_create(provider=provider, period=str(period))
        if not created:
            return settlement
        settlement.enrolments_total = _settleable(provider, period).count()
        settlement.save(update_fields=["enrolments_total"])
        audit_record(actor=actor, action="settlement.start", target=settlement, after=snapshot(settlement))
        transaction.on_commit(lambda: settlement_run_task.enqueue(provider.pk, str(period)))
    return settlement


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
            settlement.enrolments_total = _settleable(provider, period).count()
            settlement.save(update_fields=["enrolments_total"])
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
            _settleable(provider, period)
            .filter(id__gt=settlement.checkpoint)
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
    # The progress the page's bar shows, committed with the chunk it counts.
    Settlement.objects.filter(pk=settlement.pk).update(
        checkpoint=settlement.checkpoint, enrolments_done=F("enrolments_done") + len(rows)
    )


@transaction.atomic
def _settlement_finish(*, settlement: Settlement, actor: Any) -> Settlement:
    totals = SettlementLine.objects.filter(settlement=settlement).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    before = snapshot(settlement)
    settlement.line_count = totals["n"] or 0
    settlement.total_amount = totals["total"] or Decimal("0")
    settlement.status = Settlement.Status.CALCULATED
    settlement.enrolments_done = settlement.enrolments_total = max(
        settlement.enrolments_total, Settlement.objects.get(pk=settlement.pk).enrolments_done
    )
    settlement.save(
        update_fields=["line_count", "total_amount", "status", "enrolments_done", "enrolments_total"]
    )
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
    """The bureau approves the statement: one approved grants entitlement per rule, each committed
    against its rule's fund for the year (refused, naming the fund to create, when there is none)."""
    from skillcity.grants.services.settlements import settlement_claims_approve

    current = Settlement.objects.select_for_update().select_related("provider").get(pk=settlement.pk)
    if current.status != Settlement.Status.CALCULATED:
        raise Conflict("settlement_not_approvable", _("只有待审批的结算单可以审批"))
    claims = settlement_claims_approve(settlement=current, actor=actor)
    current.status, current.approved_at = Settlement.Status.APPROVED, timezone.now()
    current.save(update_fields=["status", "approved_at"])
    audit_record(
        actor=actor,
        action="settlement.approve",
        target=current,
        before={"status": Settlement.Status.CALCULATED},
        after={"status": Settlement.Status.APPROVED, "applications": [a.pk for a in claims]},
    )
    return current


@transaction.atomic
def settlement_pay(
    *,
    settlement: Settlement,
    idempotency_key: str,
    actor: Any,
    treasury_reference: str | None = None,
) -> Settlement:
    """Pay once, through grants (each of the settlement's entitlements is paid by `payment_make`, under
    the treasury reference); a replay with the same key returns the paid settlement; the period's
    redeemed vouchers settle."""
    from skillcity.grants.services.settlements import settlement_claims_pay

    current = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if current.status == Settlement.Status.PAID:
        if current.payment_key == idempotency_key:
            return current
        raise Conflict("settlement_already_paid", _("该结算单已拨付"))
    if current.status != Settlement.Status.APPROVED:
        raise Conflict("settlement_not_approved", _("结算单尚未审批，不能拨付"))
    if not idempotency_key or len(idempotency_key) > 64:
        raise DomainError(
            "idempotency_key_required",
            _("拨付请求必须带幂等键（1–64字符）"),
            {"idempotency_key": _("必须填写")},
        )
    payments = settlement_claims_pay(
        settlement=current,
        actor=actor,
        idempotency_key=idempotency_key,
        treasury_reference=treasury_reference,
    )
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
            reversal__isnull=True,  # a redemption taken back at the counter settles nothing
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
        after={
            "status": Settlement.Status.PAID,
            "vouchers_settled": len(voucher_ids),
            "payments": [p.pk for p in payments],
        },
    )
    return current
