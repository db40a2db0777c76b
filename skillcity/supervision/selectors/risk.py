"""Provider and evaluator risk (issue 20 §1): per organisation, which checks fired on it, how often, the
money at stake, and how officers decided — a ranking an official can read line by line, not a black box.

The score is a plain sum over the organisation's alerts, each contributing

    points = severity weight × state factor

- severity weight: 低 1, 中 2, 高 3;
- state factor: 已确认违规 2 (a finding an officer upheld counts double), undecided (待处理, 已分派,
  核查中) 1, 已排除 0 (a dismissed alert counts nothing, but is still listed).

Money at stake is the sum of the alerts' money, dismissed ones left out. Organisations are ranked by
score, then money, then name. Each organisation's contributions are listed by check and state: how many
alerts, their money and their points, so the score can be added up by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from skillcity.core.access import visible_to
from skillcity.supervision.models import Alert, AlertState, Severity

SEVERITY_WEIGHT = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}
STATE_FACTOR = {
    AlertState.OPEN: 1,
    AlertState.ASSIGNED: 1,
    AlertState.INVESTIGATING: 1,
    AlertState.CONFIRMED: 2,
    AlertState.DISMISSED: 0,
}


@dataclass
class Contribution:
    check_id: str
    state: str
    severity: str
    count: int
    money: Decimal
    points: int

    @property
    def state_label(self) -> str:
        return str(AlertState(self.state).label)

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    @property
    def weight(self) -> int:
        return SEVERITY_WEIGHT[Severity(self.severity)]

    @property
    def factor(self) -> int:
        return STATE_FACTOR[AlertState(self.state)]


@dataclass
class OrganisationRisk:
    organisation_id: int
    name: str = ""
    category: str = ""
    score: int = 0
    money: Decimal = Decimal("0")
    alerts: int = 0
    confirmed: int = 0
    dismissed: int = 0
    checks: set[str] = field(default_factory=set)
    contributions: list[Contribution] = field(default_factory=list)
    # A training provider's outcomes (issue 19 §5): its trainees of last year, certified and employed
    # within 6 months — read beside the alerts, not scored.
    outcomes: Any = None


def risk_ranking(
    user: Any, *, organisation_id: int | None = None, limit: int = 100
) -> list[OrganisationRisk]:
    """The organisations with alerts `user` may see, riskiest first (one grouped query and one for the
    names)."""
    from skillcity.registry.models import Organisation

    alerts = visible_to(user, Alert.objects.filter(organisation__isnull=False))
    if organisation_id is not None:
        alerts = alerts.filter(organisation_id=organisation_id)
    rows = (
        alerts.values("organisation_id", "check_id", "state", "severity")
        .annotate(n=Count("id"), money=Sum("money"))
        .order_by("organisation_id", "check_id", "state", "severity")
    )
    risks: dict[int, OrganisationRisk] = defaultdict(lambda: OrganisationRisk(0))
    for row in rows:
        risk = risks[row["organisation_id"]]
        risk.organisation_id = row["organisation_id"]
        state, severity = AlertState(row["state"]), Severity(row["severity"])
        points = SEVERITY_WEIGHT[severity] * STATE_FACTOR[state] * row["n"]
        money = row["money"] or Decimal("0")
        risk.contributions.append(Contribution(row["check_id"], state, severity, row["n"], money, points))
        risk.score += points
        risk.alerts += row["n"]
        risk.checks.add(row["check_id"])
        if state == AlertState.CONFIRMED:
            risk.confirmed += row["n"]
        if state == AlertState.DISMISSED:
            risk.dismissed += row["n"]
        else:
            risk.money += money
    names = Organisation.objects.filter(pk__in=list(risks)).only("name", "category")
    for org in names:
        risks[org.pk].name = org.name
        risks[org.pk].category = org.get_category_display()
    ranked = sorted(risks.values(), key=lambda r: (-r.score, -r.money, r.name))[:limit]
    for risk in ranked:
        risk.contributions.sort(key=lambda c: (-c.points, c.check_id))
    _with_outcomes(ranked)
    return ranked


OUTCOME_MONTHS = 6


def outcome_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


def _with_outcomes(ranked: list[OrganisationRisk]) -> None:
    """Each ranked training provider's outcomes of last year (timeline.selectors.outcomes)."""
    from skillcity.timeline.selectors.outcomes import training_outcomes

    if not ranked:
        return
    by_provider = {r.key: r for r in training_outcomes(year=outcome_year(), months=OUTCOME_MONTHS)}
    for risk in ranked:
        risk.outcomes = by_provider.get(risk.organisation_id)
