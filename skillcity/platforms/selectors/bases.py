"""Reads of the school–enterprise bases: scoped lists, the public list, T-BASES progress, the fund."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from skillcity.core.access import visible_to
from skillcity.platforms.models.bases import BaseState, SchoolEnterpriseBase

# T-BASES (D002 item 4): 50 high-level school–enterprise bases by 2025.
TARGET = 50
TARGET_YEAR = 2025


def bases_for(user: Any, state: str = "") -> QuerySet[SchoolEnterpriseBase]:
    rows = (
        visible_to(user, SchoolEnterpriseBase.objects.select_related("school__town"))
        .annotate(n_partners=Count("partners"))
        .order_by("-year", "-id")
    )
    return rows.filter(state=state) if state in BaseState.values else rows


def public_bases() -> QuerySet[SchoolEnterpriseBase]:
    return (
        SchoolEnterpriseBase.objects.filter(state=BaseState.RECOGNISED)
        .select_related("school__town")
        .prefetch_related("partners__enterprise")
        .order_by("-recognised_on", "number")
    )


@dataclass
class BaseYear:
    year: int
    applications: int
    approved: int
    recognised: int
    cumulative: int


def progress() -> dict[str, Any]:
    """T-BASES: recognised bases against 50, per year, with the 立项建设 units and applications."""
    counts = SchoolEnterpriseBase.objects.aggregate(
        recognised=Count("id", filter=Q(state=BaseState.RECOGNISED)),
        approved=Count("id", filter=Q(state=BaseState.APPROVED)),
        submitted=Count("id", filter=Q(state=BaseState.SUBMITTED)),
    )
    years = sorted(
        set(SchoolEnterpriseBase.objects.values_list("year", flat=True))
        | {
            d.year
            for d in SchoolEnterpriseBase.objects.filter(recognised_on__isnull=False).dates(
                "recognised_on", "year"
            )
        }
    )
    rows, cumulative = [], 0
    for year in years:
        recognised = SchoolEnterpriseBase.objects.filter(
            state=BaseState.RECOGNISED, recognised_on__year=year
        ).count()
        cumulative += recognised
        rows.append(
            BaseYear(
                year=year,
                applications=SchoolEnterpriseBase.objects.filter(year=year).count(),
                approved=SchoolEnterpriseBase.objects.filter(year=year)
                .filter(state__in=(BaseState.APPROVED, BaseState.RECOGNISED))
                .count(),
                recognised=recognised,
                cumulative=cumulative,
            )
        )
    total = counts["recognised"]
    return {
        "target": TARGET,
        "target_year": TARGET_YEAR,
        "recognised": total,
        "approved": counts["approved"],
        "submitted": counts["submitted"],
        "percent": min(100, round(total * 100 / TARGET)) if TARGET else 0,
        "rows": rows,
    }
