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

from skillcity.grants.flows import register_fact_provider

PROVENANCE = "平台支付记录（补贴申报）"


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
    year = event_date.year
    return {
        "already_received_this_year": (
            _paid(applicant, "TAL-LEADING-EMPLOYER", year),
            f"{PROVENANCE}：{year}年",
        )
    }


def register() -> None:
    register_fact_provider("CRT-ENT", crt_ent_already_received)
    register_fact_provider("TAL-LEADING-EMPLOYER", employer_already_received)
