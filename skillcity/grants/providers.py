"""Facts the grants ledger itself knows: what an applicant was already paid under a capped rule.

CRT-ENT's one-time components (filing, question bank, shortage certification, social organisation) are
granted once per enterprise, in 2022 as later: which were paid comes from the payments. CRT-ENT's total cap (850,000 per enterprise, D003) and TAL-LEADING-EMPLOYER's yearly cap (1,000,000 per
unit per year, D002 item 25) are reduced by what was already paid; the applicant does not type it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from skillcity.grants.flows import register_approval_check, register_fact_provider

PROVENANCE = "平台支付记录（补贴申报）"
STANDING_PROVENANCE = "平台支付记录及审核中、已核准的申请（补贴申报）"
# Claims that stand against a yearly cap before they are paid: a claim in review is counted at what
# the engine allowed it (or the reviewer decided), so two claims in review at once cannot both take
# the whole remainder. Withdrawn, rejected and draft claims do not count; paid ones count as paid.
STANDING_STATES = ("in_review", "returned", "reviewed", "in_notice", "approved")


def _paid(applicant: Any, rule_id: str, year: int | None = None) -> str:
    from skillcity.grants.models import Payment
    from skillcity.registry.models import Organisation

    if not isinstance(applicant, Organisation):
        return "0.00"
    payments = Payment.objects.filter(application__rule_id=rule_id, application__organisation=applicant)
    if year is not None:
        payments = payments.filter(application__event_date__year=year)
    total = payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return str(total.quantize(Decimal("0.01")))


def _standing(
    applicant: Any,
    rule_id: str,
    year: int,
    exclude: int | None = None,
    states: tuple[str, ...] = STANDING_STATES,
) -> Decimal:
    """What the organisation's unpaid standing claims under the rule in `year` hold: each one's decided
    amount, else the engine's amount for it."""
    from skillcity.grants.models import Application
    from skillcity.grants.outcomes import default_amount

    claims = Application.objects.filter(
        rule_id=rule_id,
        organisation=applicant,
        event_date__year=year,
        state__in=states,
    ).exclude(pk=exclude or 0)
    total = Decimal("0")
    for decided, outcome in claims.values_list("decided_amount", "outcome"):
        held = decided if decided is not None else default_amount(outcome or {})
        total += held or Decimal("0")
    return total


def _one_time_paid(applicant: Any) -> list[str]:
    """CRT-ENT's one-time components (D002 第21条 "一次性") this enterprise was paid for, in any year: the
    components its paid applications' outcomes granted."""
    from skillcity.grants.models import Payment
    from skillcity.policy.engine import load_rules

    # Every rule module first: importing one alone would leave the engine's table with only its rules.
    load_rules()
    from skillcity.policy.rules.certification import ONE_TIME, component_code
    from skillcity.registry.models import Organisation

    if not isinstance(applicant, Organisation):
        return []
    granted: set[str] = set()
    outcomes = Payment.objects.filter(application__rule_id="CRT-ENT", application__organisation=applicant)
    for outcome in outcomes.values_list("application__outcome", flat=True):
        for component in (outcome or {}).get("components", []):
            if component.get("eligible"):
                granted.add(component_code(str(component.get("id", ""))))
    return sorted(granted & {code for code, _label in ONE_TIME})


def crt_ent_already_received(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    return {
        "already_received": (_paid(applicant, "CRT-ENT"), PROVENANCE),
        "one_time_received": (_one_time_paid(applicant), PROVENANCE),
    }


def employer_already_received(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    """D002 item 25: the yearly cap is reduced by what was paid this year and by the claims standing
    (in review, in notice, approved), so two claims in review at once cannot both see the whole cap."""
    from skillcity.registry.models import Organisation

    year = event_date.year
    received = Decimal(_paid(applicant, "TAL-LEADING-EMPLOYER", year))
    if isinstance(applicant, Organisation):
        received += _standing(applicant, "TAL-LEADING-EMPLOYER", year)
    return {
        "already_received_this_year": (
            str(received.quantize(Decimal("0.01"))),
            f"{STANDING_PROVENANCE}：{year}年",
        )
    }


def employer_cap_check(application: Any, amount: Decimal) -> None:
    """At approval, with the unit's row locked: the yearly cap across this year's payments, the other
    approved (committed, unpaid) claims and this one. The claim's facts were read when it was made;
    another claim may have been made or approved since. Claims still in review do not block an
    approval here (they would block each other); they meet this check at their own approval. Two
    approvals for one unit queue on the lock."""
    from skillcity.core.errors import DomainError
    from skillcity.grants import outcomes
    from skillcity.registry.models import Organisation

    if application.organisation_id is None:
        return
    unit = Organisation.objects.select_for_update().get(pk=application.organisation_id)
    year = application.event_date.year
    others = Decimal(_paid(unit, application.rule_id, year)) + _standing(
        unit, application.rule_id, year, exclude=application.pk, states=("approved",)
    )
    facts = {"requested": str(amount), "already_received_this_year": str(others.quantize(Decimal("0.01")))}
    outcome = outcomes.evaluate(application.rule_id, application.event_date, facts)
    allowed = outcomes.default_amount(outcome) if outcome.get("eligible") else Decimal("0")
    if allowed is None or allowed < amount:
        message = _("本单位%(y)s年度已获得及已核准的引才奖励共 %(o)s 元，核准 %(a)s 元将超过每年上限") % {
            "y": year,
            "o": others.quantize(Decimal("0.01")),
            "a": amount,
        }
        raise DomainError("yearly_cap_exceeded", message, {"amount": message}, status=409)


def register() -> None:
    register_fact_provider("CRT-ENT", crt_ent_already_received)
    register_fact_provider("TAL-LEADING-EMPLOYER", employer_already_received)
    register_approval_check("TAL-LEADING-EMPLOYER", employer_cap_check)
