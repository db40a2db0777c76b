"""Training settlements paid through the grants ledger (money moves only through grants).

Approving a settlement makes one approved entitlement per rule of its lines (TRN-PROJECT, TRN-UPSKILL,
TRN-PAYEE), applicant the provider, event date the last day of the half year, the amount the sum of the
lines, committed against that rule's fund for the year — refused, naming the fund to create, when there
is none. Paying the settlement pays each of them once through `payment_make`, under one treasury
reference. The statement itself (its lines) stays in training; the entitlement cites it by id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from skillcity.core.audit import audit_record
from skillcity.core.periods import HalfYear
from skillcity.grants.models import Application, FundEntry, Payment
from skillcity.grants.services.common import S, _event, _require_bureau
from skillcity.grants.services.payments import FundMissing, _book, fund_for, payment_make
from skillcity.policy.display import message, message_text

SETTLED_LINES = N_("%(p)s 结算单 %(n)s 笔合计")

SOURCE = "培训补贴结算单"


def settlement_claims(settlement_id: int) -> Any:
    """The entitlements a settlement's approval made, one per rule."""
    return Application.objects.filter(facts__settlement_id=settlement_id).order_by("rule_id")


def rule_sources_on(rule_id: str, day: Any) -> list[dict[str, str]]:
    """The documents and clauses of the rule's parameters in force on `day` (the rule and clause each
    amount of a statement comes from)."""
    from skillcity.policy import params as P
    from skillcity.policy.engine import load_rules

    rule = load_rules().get(rule_id)
    if rule is None:
        return []
    ps = P.parameters()
    docs = P.documents()
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for name in rule.parameter_names():
        version = ps[name].version_on(day) if name in ps else None
        if version is not None and (version.document, version.clause) not in seen:
            seen[(version.document, version.clause)] = {
                "document": version.document,
                "clause": version.clause,
                "title": docs[version.document].title,
            }
    return list(seen.values())


@transaction.atomic
def settlement_claims_approve(*, settlement: Any, actor: Any) -> list[Application]:
    """One approved entitlement per rule of the settlement, each committed against its fund."""
    _require_bureau(actor)
    if settlement_claims(settlement.pk).exists():
        return list(settlement_claims(settlement.pk))
    period = HalfYear.parse(settlement.period)
    provider = settlement.provider
    rows = settlement.lines.values("rule").annotate(total=Sum("amount"), n=Count("id")).order_by("rule")
    made = []
    for row in rows:
        total: Decimal = row["total"] or Decimal("0")
        if total <= 0:
            continue
        sources = rule_sources_on(row["rule"], period.end)
        app = Application(
            rule_id=row["rule"],
            organisation=provider,
            town_id=provider.town_id,
            event_date=period.end,
            facts={"settlement_id": settlement.pk, "period": str(period), "lines": row["n"]},
            fact_sources={"settlement_id": SOURCE},
            outcome={
                "rule": row["rule"],
                "eligible": True,
                "basis": "fixed",
                "amount": str(total),
                "payee": "unit",
                # Chinese in the outcome whatever the request's language, with its message for pages
                # in the reader's language (docs/policy-engine.md, reason_messages).
                "reasons": [message_text(SETTLED_LINES, {"p": str(period), "n": row["n"]}, translate=False)],
                "reason_messages": [message(SETTLED_LINES, p=str(period), n=row["n"])],
                "sources": sources,
                "trace": [],
                "assumptions": [],
            },
            state=S.APPROVED,
            decided_amount=total,
            decision_reason=_("培训补贴结算单 #%(id)s") % {"id": settlement.pk},
            created_by=actor,
            submitted_at=timezone.now(),
        )
        fund = fund_for(app)
        if fund is None:
            raise FundMissing(app.rule_id, app.event_date.year)
        fund = _book(fund, total, _("核准"))
        app.save()
        FundEntry.objects.create(fund=fund, application=app, kind=FundEntry.Kind.COMMITMENT, amount=total)
        _event(app, actor=actor, action="approve", from_state=S.DRAFT, amount=total)
        audit_record(
            actor=actor,
            action="grants.application.approve",
            target=app,
            after={"amount": total, "settlement": settlement.pk},
        )
        made.append(app)
    return made


@transaction.atomic
def settlement_claims_pay(
    *, settlement: Any, actor: Any, idempotency_key: str, treasury_reference: str | None
) -> list[Payment]:
    """Pay each entitlement of the settlement once; a replay with the same key pays nothing again."""
    return [
        payment_make(
            application=app,
            actor=actor,
            idempotency_key=f"{idempotency_key}:{app.rule_id}"[:128],
            treasury_reference=treasury_reference,
        )
        for app in settlement_claims(settlement.pk)
    ]
