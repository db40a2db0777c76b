"""Reads of the grants app; every one goes through core.access.visible_to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from skillcity.core.access import get_for, visible_to
from skillcity.grants import flows
from skillcity.grants.models import (
    Application,
    ApplicationState,
    Fund,
    FundEntry,
    Objection,
    Payment,
    PublicNotice,
)


def applications_for(
    user: Any, *, rule: str = "", state: str = "", overdue: bool = False, town: int | None = None
) -> QuerySet[Application]:
    qs = visible_to(user, Application.objects.select_related("town", "organisation", "worker"))
    if rule:
        qs = qs.filter(rule_id=rule)
    if state:
        qs = qs.filter(state=state)
    if town:
        qs = qs.filter(town_id=town)
    if overdue:
        qs = qs.filter(state=ApplicationState.IN_REVIEW, stage_due__lt=timezone.localdate())
    return qs


def review_queue(user: Any, **filters: Any) -> list[Application]:
    """Applications waiting at a stage this user reviews (a town officer: their own town only)."""
    qs = applications_for(user, **filters).filter(state=ApplicationState.IN_REVIEW)
    return [
        app
        for app in qs.order_by("stage_due", "id")
        if flows.user_has_stage_role(user, flows.stages_for(app.rule_id)[app.stage_index].role)
    ]


def application_for(user: Any, pk: Any) -> Application:
    return get_for(user, Application.objects.select_related("town", "organisation", "worker"), pk)


def is_overdue(app: Application) -> bool:
    return bool(
        app.state == ApplicationState.IN_REVIEW and app.stage_due and app.stage_due < timezone.localdate()
    )


def public_notices_current() -> QuerySet[PublicNotice]:
    """Running notices, for the public page (no personal data beyond the applicant's name)."""
    return PublicNotice.objects.filter(
        application__state=ApplicationState.IN_NOTICE, end__gte=timezone.localdate()
    ).select_related("application", "application__organisation", "application__worker", "application__town")


def payments_for(user: Any) -> QuerySet[Payment]:
    return visible_to(user, Payment.objects.select_related("application", "application__town", "paid_by"))


def funds_report(*, year: int | None = None, programme: str | None = None) -> list[dict[str, Any]]:
    """Each fund with its budget, committed, paid (spent) and remaining, by rule (programme); `year`
    keeps the funds covering that year."""
    funds = Fund.objects.all()
    if year is not None:
        funds = funds.filter(
            Q(last_year__isnull=True, year=year)
            | Q(last_year__isnull=False, year__lte=year, last_year__gte=year)
        )
    if programme:
        funds = funds.filter(programme=programme)
    return [{"fund": fund, **fund.balances()} for fund in funds.prefetch_related("entries")]


def fund_by_town(fund: Fund) -> list[dict[str, Any]]:
    """One fund's committed and paid by the applicants' towns (the ledger's rows, grouped)."""
    zero = Decimal("0")
    towns: dict[str, dict[str, Any]] = {}
    rows = (
        FundEntry.objects.filter(fund=fund)
        .values("application__town__name", "kind")
        .annotate(s=Sum("amount"))
        .order_by("application__town__name")
    )
    for row in rows:
        town = towns.setdefault(
            row["application__town__name"],
            {"town": row["application__town__name"], "committed": zero, "spent": zero},
        )
        amount = row["s"] or zero
        if row["kind"] == FundEntry.Kind.COMMITMENT:
            town["committed"] += amount
        elif row["kind"] == FundEntry.Kind.RELEASE:
            town["committed"] -= amount
        else:
            town["spent"] += amount
    return sorted(towns.values(), key=lambda t: -(t["committed"] + t["spent"]))


def objections_in_state(state: str) -> QuerySet[Objection]:
    """Objections for the bureau's review, newest first, with what the list shows loaded."""
    return (
        Objection.objects.filter(state=state)
        .select_related("notice__application")
        .order_by("-lodged_at", "-id")
    )


def same_claims_from_records(app: Application) -> QuerySet[Application]:
    """For an application typed by hand under a rule usually made from records (a competition award):
    the standing applications made from records for the same rule, payee and year, so reviewers see a
    possible double claim. Empty for an application that was itself made from records."""
    if app.source_key:
        return Application.objects.none()
    payee = {"organisation_id": app.organisation_id} if app.organisation_id else {"worker_id": app.worker_id}
    return (
        Application.objects.filter(rule_id=app.rule_id, event_date__year=app.event_date.year, **payee)
        .exclude(source_key="")
        .exclude(state__in=["withdrawn", "rejected"])
        .exclude(pk=app.pk)
    )
