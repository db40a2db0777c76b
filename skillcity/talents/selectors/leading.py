"""Leading-talent reads: T-LEADING progress, the calls, each audience's lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from skillcity.core.access import visible_to
from skillcity.grants.models import Application
from skillcity.talents.models.leading import (
    Assignment,
    ExceptionalApplication,
    LeadingApplication,
    LeadingCall,
    LeadingState,
    Recognition,
    RentInstalment,
    RentRefusal,
    RentSchedule,
)

# T-LEADING (D002 一(二)): 100 leading talents by 2025; D003 §一(六): 12 in 2022, 25 or more planned in
# 2023 (from 120 applicants). The yearly plans of 2024 and 2025 are not in the documents.
TARGET_TOTAL = 100
TARGET_YEAR = 2025
YEAR_PLANS = {2022: 12, 2023: 25}


@dataclass(frozen=True)
class YearRow:
    year: int
    plan: int | None
    applications: int
    recognised: int
    cumulative: int


def progress() -> dict[str, Any]:
    recognised = dict(Recognition.objects.values_list("year").annotate(n=Count("id")).order_by("year"))
    applied = dict(LeadingCall.objects.annotate(n=Count("applications")).values_list("year", "n"))
    years = sorted(set(recognised) | set(applied) | set(YEAR_PLANS))
    rows, total = [], 0
    for year in years:
        total += recognised.get(year, 0)
        rows.append(YearRow(year, YEAR_PLANS.get(year), applied.get(year, 0), recognised.get(year, 0), total))
    return {
        "rows": rows,
        "total": total,
        "target": TARGET_TOTAL,
        "target_year": TARGET_YEAR,
        "percent": min(100, round(total * 100 / TARGET_TOTAL)),
    }


def calls() -> QuerySet[LeadingCall]:
    return LeadingCall.objects.annotate(
        n_applications=Count("applications", distinct=True),
        n_recognised=Count(
            "applications", filter=Q(applications__state=LeadingState.RECOGNISED), distinct=True
        ),
    )


def call_applications(call: LeadingCall, state: str = "") -> QuerySet[LeadingApplication]:
    rows = call.applications.select_related("worker", "unit", "recognition").prefetch_related(
        "assignments__member__worker", "assignments__scores", "evidence"
    )
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("id")


def applications_for(user: Any) -> QuerySet[LeadingApplication]:
    return visible_to(
        user, LeadingApplication.objects.select_related("call", "worker", "unit", "recognition")
    ).order_by("-id")


def subsidies_for_worker(worker_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(worker_id=worker_id, source_key__startswith="talents.")
        .select_related("payment")
        .order_by("-id")
    )


def labelled(grants: Any) -> list[tuple[Application, str]]:
    """Each grants application with what its source is, in words (grants' source describers)."""
    from skillcity.grants.flows import source_label

    return [(g, source_label(g.source_key)) for g in grants]


def rewards_for_unit(organisation_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(
            organisation_id=organisation_id, source_key__startswith="talents.employer:"
        )
        .select_related("payment")
        .order_by("-id")
    )


def assignments_for(worker_id: int) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(member__worker_id=worker_id)
        .select_related(
            "application__worker",
            "application__call",
            "application__unit",
            "application__recognition",
            "member",
        )
        .order_by("submitted_at", "-id")
    )


def schedules(user: Any, state: str = "") -> QuerySet[RentSchedule]:
    # `paid_sum`: what was paid on the schedule, summed in the query (the API's paid_total, no query
    # per row); each instalment has at most one payment, so the join does not multiply the count.
    # The months the job could not pay and that are still unpaid (a month later paid drops out).
    open_refusals = RentRefusal.objects.exclude(
        Exists(
            RentInstalment.objects.filter(
                schedule=OuterRef("schedule"), month=OuterRef("month"), application__state="paid"
            )
        )
    ).order_by("-at", "-id")
    rows = visible_to(
        user,
        RentSchedule.objects.select_related("worker", "recognition").prefetch_related(
            Prefetch("refusals", queryset=open_refusals, to_attr="open_refusals")
        ),
    ).annotate(
        n_paid=Count("instalments", filter=Q(instalments__application__state="paid")),
        paid_sum=Sum("instalments__application__payment__amount"),
    )
    return rows.filter(state=state) if state else rows


def exceptional_for(user: Any) -> QuerySet[ExceptionalApplication]:
    return visible_to(
        user, ExceptionalApplication.objects.select_related("worker", "occupation", "candidate__session")
    ).order_by("-id")
