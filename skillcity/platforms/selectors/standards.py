"""Reads of the standards: scoped lists, the certified (public, choosable) ones, the yearly count
against the 117 baseline and 5 a year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from skillcity.core.access import visible_to
from skillcity.platforms.models.standards import Standard, StandardState

# D003 (as of 2023): 117 standards; §一(四)一: 5 new ones certified a year from 2023.
BASELINE = 117
PER_YEAR = 5
FIRST_YEAR = 2023
LAST_YEAR = 2025


def standards_for(user: Any, state: str = "") -> QuerySet[Standard]:
    rows = (
        visible_to(user, Standard.objects.select_related("developer__town", "occupation"))
        .annotate(n_panel=Count("panel"))
        .order_by("-year", "-id")
    )
    return rows.filter(state=state) if state in StandardState.values else rows


def certified() -> QuerySet[Standard]:
    """The certified standards: listed publicly, and the only ones a training project or a
    certification session may name."""
    return (
        Standard.objects.filter(state=StandardState.CERTIFIED)
        .select_related("developer", "occupation")
        .order_by("occupation__code", "number")
    )


def choices() -> list[tuple[str, str]]:
    """The certified standards as form choices (value: id)."""
    return [("", "—"), *((str(s.pk), f"{s.number} {s.title}") for s in certified())]


@dataclass
class StandardYear:
    year: int
    filed: int
    certified: int
    plan: int
    cumulative: int
    cumulative_plan: int


def progress() -> dict[str, Any]:
    """Certified standards per year against 5 a year, and the cumulative count against 117 + 5 a year."""
    baseline = Standard.objects.filter(state=StandardState.CERTIFIED, baseline=True).count()
    total = Standard.objects.filter(state=StandardState.CERTIFIED).count()
    cumulative = baseline
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        certified_n = Standard.objects.filter(
            state=StandardState.CERTIFIED, baseline=False, certified_on__year=year
        ).count()
        cumulative += certified_n
        rows.append(
            StandardYear(
                year=year,
                filed=Standard.objects.filter(year=year, baseline=False).count(),
                certified=certified_n,
                plan=PER_YEAR,
                cumulative=cumulative,
                cumulative_plan=BASELINE + PER_YEAR * (year - FIRST_YEAR + 1),
            )
        )
    return {
        "baseline_target": BASELINE,
        "baseline": baseline,
        "per_year": PER_YEAR,
        "total": total,
        "in_progress": Standard.objects.exclude(
            state__in=(StandardState.CERTIFIED, StandardState.NOT_CERTIFIED)
        ).count(),
        "rows": rows,
    }
