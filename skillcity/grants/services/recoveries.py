"""追回 (recovery): money taken back from a paid application, as a ledger line of its own.

A payment is never edited. `recovery_record` writes a `Recovery` against the fund the payment was spent
from (its SPEND entry), so the fund's remaining balance counts it back (`Fund.balances`); the
application's recoveries together never exceed what was paid. The same idempotency key answers with the
first recovery (a double click, a retried request); another application or amount under that key is
refused. Supervision calls it from a confirmed alert (issue 20 §2), passing the alert as `reference`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from skillcity.core.access import _role, can_write
from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.money import round_fen, to_decimal
from skillcity.grants.models import Application, FundEntry, Recovery
from skillcity.grants.services.common import _event, _lock


def recoverable(application: Application) -> Decimal:
    """What is paid and not yet recovered (0 for an unpaid application)."""
    payment = getattr(application, "payment", None)
    if payment is None:
        return Decimal("0")
    done = application.recoveries.aggregate(s=Sum("amount"))["s"] or Decimal("0")  # type: ignore[attr-defined]
    return Decimal(payment.amount) - done


def _replay(key: str, application: Application, amount: Decimal) -> Recovery | None:
    existing = Recovery.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.application_id != application.pk or existing.amount != amount:
        raise Conflict(
            "idempotency_key_reused",
            _("该幂等键已用于另一笔追回"),
            {"idempotency_key": _("已用于另一笔追回")},
        )
    return existing


def recovery_record(
    *,
    application: Application,
    amount: Any,
    reason: str,
    actor: Any,
    idempotency_key: str,
    reference: str = "",
) -> Recovery:
    """Record money recovered from a paid application, once per key."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise DomainError(
            "idempotency_key_required",
            _("追回请求必须带幂等键（1–128字符）"),
            {"idempotency_key": _("必须填写")},
        )
    try:
        value = round_fen(to_decimal(amount, field="amount"))
    except (ValueError, ArithmeticError):
        raise DomainError("bad_amount", _("追回金额有误"), {"amount": _("请填写金额，如 1200.00")}) from None
    try:
        return _recovery_record(
            application=application, amount=value, reason=reason, actor=actor, key=key, reference=reference
        )
    except IntegrityError:
        replay = _replay(key, application, value)
        if replay is not None:
            return replay
        raise


@transaction.atomic
def _recovery_record(
    *, application: Application, amount: Decimal, reason: str, actor: Any, key: str, reference: str
) -> Recovery:
    app = _lock(application)
    # The bureau, or the officer of the applicant's town (who handles the town's supervision alerts).
    if _role(actor) not in ("bureau_officer", "town_officer") or not can_write(actor, app):
        raise PermissionDenied(_("您无权追回该申请的资金"))
    replay = _replay(key, app, amount)
    if replay is not None:
        return replay
    if not reason.strip():
        raise DomainError("reason_required", _("追回必须写明理由"), {"reason": _("请填写此项")})
    if amount <= 0:
        raise DomainError("bad_amount", _("追回金额须大于 0"), {"amount": _("须大于 0")})
    spend = app.fund_entries.filter(kind=FundEntry.Kind.SPEND).select_related("fund").first()
    left = recoverable(app)
    if spend is None or left <= 0:
        raise DomainError(
            "nothing_to_recover",
            _("该申请没有可追回的已拨付资金"),
            {"amount": _("没有可追回的资金")},
            status=409,
        )
    if amount > left:
        raise DomainError(
            "recovery_exceeds_paid",
            _("追回金额 %(a)s 元超过已拨付且未追回的 %(l)s 元") % {"a": amount, "l": left},
            {"amount": _("不能超过 %(l)s 元") % {"l": left}},
        )
    recovery = Recovery.objects.create(
        application=app,
        fund=spend.fund,
        amount=amount,
        reason=reason.strip(),
        reference=reference[:64],
        idempotency_key=key,
        recorded_by=actor,
    )
    _event(app, actor=actor, action="recover", from_state=app.state, reason=reason.strip(), amount=amount)
    audit_record(
        actor=actor,
        action="grants.recovery.record",
        target=app,
        after={"amount": amount, "key": key, "reference": reference, "fund": spend.fund_id},
    )
    return recovery
