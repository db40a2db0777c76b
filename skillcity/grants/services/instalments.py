"""Instalments of a standing decision (a leading talent's monthly rent subsidy): each one an approved
entitlement of its own, made once per source key, within the engine's bounds, committed against the
programme's fund, then paid once through `payment_make` with its own idempotency key.

The decision itself (the monthly amount and the term) was made by a finance officer when the schedule
was set up; the periodic job acts under that officer's standing instruction, never as nobody.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import PermissionDenied
from skillcity.core.money import round_fen
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Application, FundEntry
from skillcity.grants.services.common import S, _event
from skillcity.grants.services.payments import FundMissing, _book, fund_for
from skillcity.grants.services.records import standing_for_source
from skillcity.registry.models import Organisation, Worker


@transaction.atomic
def instalment_approve(
    *,
    actor: Any,
    rule_id: str,
    payee: Organisation | Worker,
    event_date: datetime.date,
    facts: dict[str, Any],
    fact_sources: dict[str, str],
    amount: Decimal,
    source_key: str,
    reason: str,
) -> Application:
    """The approved entitlement for `source_key`; the standing one when it exists (a replay makes none)."""
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以核准分期发放"))
    existing = standing_for_source(source_key)
    if existing is not None:
        return existing
    amount = round_fen(amount)
    outcome = outcomes.evaluate(rule_id, event_date, dict(facts))
    outcomes.check_amount(outcome, amount, reason)
    scope: dict[str, Any] = {"organisation": payee} if isinstance(payee, Organisation) else {"worker": payee}
    app = Application(
        rule_id=rule_id,
        town=payee.town,
        event_date=event_date,
        facts=dict(facts),
        fact_sources=dict(fact_sources),
        outcome=outcome,
        state=S.APPROVED,
        decided_amount=amount,
        decision_reason=reason,
        created_by=actor,
        submitted_at=timezone.now(),
        source_key=source_key,
        **scope,
    )
    fund = fund_for(app)
    if fund is None:
        raise FundMissing(rule_id, event_date.year)
    fund = _book(fund, amount, _("核准"))
    app.save()
    FundEntry.objects.create(fund=fund, application=app, kind=FundEntry.Kind.COMMITMENT, amount=amount)
    _event(app, actor=actor, action="approve", from_state=S.DRAFT, reason=reason, amount=amount)
    audit_record(
        actor=actor,
        action="grants.application.instalment_approve",
        target=app,
        after={"amount": amount, "source_key": source_key},
    )
    return app
