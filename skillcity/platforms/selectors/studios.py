"""Reads of the master studios: the lists each role sees, a studio's grants, the public list, the levels a
worker's open studios give the talent card, and T-STUDIOS progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from skillcity.core.access import visible_to
from skillcity.grants import flows
from skillcity.grants.models import Application
from skillcity.platforms.models.studios import (
    STUDIO_LEVEL_RANK,
    Studio,
    StudioLevel,
    StudioState,
)
from skillcity.platforms.services.studios import SOURCE_PREFIX, provenance

# Policy catalog §11: T-STUDIOS (D002 一(二), D003): 200 new studios by the end of 2025, at least 50 a year.
TARGET_ID = "T-STUDIOS"
TARGET_SOURCE = "D002 一(二)，D003"
TARGET_TOTAL = 200
TARGET_PER_YEAR = 50
TARGET_FIRST_YEAR, TARGET_LAST_YEAR = 2021, 2025
# Baselines (D003, as of 2023): 40 new studios in 2022, 84 applications for 2023; 205 platforms
# (5 national, 11 provincial, 189 city).
BASELINE_NEW_2022 = 40
BASELINE_APPLICATIONS_2023 = 84
BASELINE_PLATFORMS = 205


def studios_for(user: Any, *, state: str = "", level: str = "", q: str = "") -> QuerySet[Studio]:
    studios = visible_to(user, Studio.objects.select_related("lead", "organisation__town"))
    if state in StudioState.values:
        studios = studios.filter(state=state)
    if level in StudioLevel.values:
        studios = studios.filter(level=level)
    q = (q or "").strip()[:50]
    if q:
        studios = studios.filter(Q(name__contains=q) | Q(organisation__name__contains=q) | Q(lead__name=q))
    return studios.order_by("-applied_on", "-id")


def public_studios(*, level: str = "", q: str = "") -> QuerySet[Studio]:
    """Recognised, open studios: what the public may see (no personal data but the lead's name masked)."""
    studios = Studio.objects.filter(state=StudioState.RECOGNISED).select_related("organisation__town", "lead")
    if level in StudioLevel.values:
        studios = studios.filter(level=level)
    q = (q or "").strip()[:50]
    if q:
        studios = studios.filter(
            Q(name__contains=q) | Q(organisation__name__contains=q) | Q(occupation__contains=q)
        )
    return studios.order_by("-recognised_on", "-id")


def grants_of(studio: Studio) -> QuerySet[Application]:
    return Application.objects.filter(source_key__startswith=f"{SOURCE_PREFIX}{studio.pk}:").order_by("id")


def grant_rows(studio: Studio) -> list[dict[str, Any]]:
    return [
        {"application": a, "label": flows.source_label(a.source_key), "kind": a.source_key.rsplit(":", 1)[-1]}
        for a in grants_of(studio)
    ]


def lead_levels(worker: Any, on: datetime.date) -> list[tuple[str, str]]:
    """(level, provenance) of each open studio the worker leads, at its level on `on`."""
    found: list[tuple[str, str]] = []
    for studio in (
        Studio.objects.filter(lead=worker, state=StudioState.RECOGNISED, recognised_on__lte=on)
        .prefetch_related("upgrades")
        .order_by("id")
    ):
        level = StudioLevel.CITY
        for upgrade in studio.upgrades.all():
            if (
                upgrade.recognised_on <= on
                and STUDIO_LEVEL_RANK[StudioLevel(upgrade.level)] > STUDIO_LEVEL_RANK[level]
            ):
                level = StudioLevel(upgrade.level)
        found.append((str(level), provenance(studio)))
    return found


@dataclass
class StudioYear:
    year: int
    applications: int
    recognised: int
    cumulative: int
    met: bool


@dataclass
class StudioProgress:
    years: list[StudioYear]
    total: int
    target_total: int
    per_year: int
    open_by_level: dict[str, int]
    open_total: int
    label: Any
    source: str

    @property
    def percent(self) -> int:
        return min(100, round(self.total * 100 / self.target_total)) if self.target_total else 0


def progress(until: int | None = None) -> StudioProgress:
    """New city studios recognised per year 2021–2025 (and applications filed), against T-STUDIOS."""
    last = max(TARGET_LAST_YEAR, until or TARGET_LAST_YEAR)
    recognised = dict(
        Studio.objects.filter(recognised_on__isnull=False)
        .annotate(y=ExtractYear("recognised_on"))
        .values_list("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    applied = dict(
        Studio.objects.annotate(y=ExtractYear("applied_on"))
        .values_list("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    years: list[StudioYear] = []
    cumulative = 0
    for year in range(TARGET_FIRST_YEAR, last + 1):
        n = int(recognised.get(year, 0))
        if year <= TARGET_LAST_YEAR:
            cumulative += n
        years.append(StudioYear(year, int(applied.get(year, 0)), n, cumulative, n >= TARGET_PER_YEAR))
    open_counts = dict(
        Studio.objects.filter(state=StudioState.RECOGNISED)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    open_by_level = {str(level): int(open_counts.get(level, 0)) for level in StudioLevel.values}
    return StudioProgress(
        years=years,
        total=cumulative,
        target_total=TARGET_TOTAL,
        per_year=TARGET_PER_YEAR,
        open_by_level=open_by_level,
        open_total=sum(open_by_level.values()),
        label=_("新建技能大师工作室"),
        source=TARGET_SOURCE,
    )
