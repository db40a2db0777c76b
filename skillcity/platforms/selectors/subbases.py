"""Reads of the public training sub-bases: scoped lists, a year's course purchase, the grants of a
sub-base, the centre's certification volume and T-SUBBASES progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from skillcity.core.access import visible_to
from skillcity.grants.models import Application
from skillcity.platforms.models.subbases import (
    CourseAllocation,
    CoursePurchaseQuota,
    Subbase,
    SubbaseCentre,
    SubbaseReport,
    SubbaseState,
)
from skillcity.platforms.services.subbases.purchases import HOLDING, SOURCE_PREFIX

# Catalog §11 T-SUBBASES: 20 sub-bases by 2025 (16 in 2023); public training person-times at least
# 180,000 a year city-wide from 2023 (D003; D002 says 200,000); the purchase 3,000 places a year; the
# centre's own certification 3,000 persons a year.
TARGET_SUBBASES = 20
TARGET_YEAR = 2025
PERSON_TIMES_TARGET = 180_000
PERSON_TIMES_FROM = 2023
DEFAULT_QUOTA = 3000


def subbases_for(user: Any) -> QuerySet[Subbase]:
    return visible_to(user, Subbase.objects.select_related("organisation__town")).order_by(
        "state", "-recognised_on", "id"
    )


def recognised() -> QuerySet[Subbase]:
    """The public list: recognised sub-bases with their organisation and town."""
    return (
        Subbase.objects.filter(state=SubbaseState.RECOGNISED)
        .select_related("organisation__town")
        .order_by("recognised_on", "id")
    )


def reports_for(subbase: Subbase) -> QuerySet[SubbaseReport]:
    return subbase.reports.order_by("-year")


def allocations_for(user: Any) -> QuerySet[CourseAllocation]:
    return visible_to(
        user, CourseAllocation.objects.select_related("subbase", "quota", "training_class")
    ).order_by("-quota__year", "id")


def with_completed(rows: QuerySet[CourseAllocation]) -> QuerySet[CourseAllocation]:
    """Each course's completed trainees counted in the list's own query (services.trainees_from_roster)."""
    return rows.annotate(
        completed=Count(
            "training_class__enrolments", filter=Q(training_class__enrolments__status="completed")
        )
    )


def allocations_of_year(year: int) -> QuerySet[CourseAllocation]:
    rows = CourseAllocation.objects.filter(quota__year=year).select_related("subbase", "training_class")
    return with_completed(rows).order_by("subbase__name", "id")


@dataclass
class QuotaView:
    year: int
    places: int | None
    allocated: int
    remaining: int | None
    accepted_trainees: int


def quota_view(year: int) -> QuotaView:
    quota = CoursePurchaseQuota.objects.filter(year=year).first()
    allocated = 0
    if quota is not None:
        allocated = int(quota.allocations.filter(state__in=HOLDING).aggregate(n=Sum("places"))["n"] or 0)
    accepted_rows = allocations_of_year(year).filter(state="accepted")
    accepted = sum(min(int(getattr(a, "completed", 0)), a.places) for a in accepted_rows)
    return QuotaView(
        year=year,
        places=quota.places if quota else None,
        allocated=allocated,
        remaining=(quota.places - allocated) if quota else None,
        accepted_trainees=accepted,
    )


def grants_for_organisation(organisation_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation_id=organisation_id, source_key__startswith=SOURCE_PREFIX)
        .select_related("payment")
        .order_by("-id")
    )


def grants_by_source(keys: list[str]) -> dict[str, Application]:
    """The standing (or latest) application of each source key."""
    found: dict[str, Application] = {}
    for app in Application.objects.filter(source_key__in=keys).order_by("id"):
        if app.state not in ("withdrawn", "rejected") or app.source_key not in found:
            found[app.source_key] = app
    return found


def centre() -> SubbaseCentre | None:
    return SubbaseCentre.objects.select_related("organisation").first()


def centre_volume(year: int) -> int | None:
    """Certificates the centre's own evaluator issued in `year` (revoked ones were issued too, but no
    longer certify anyone: they are not counted)."""
    from skillcity.certification.models import Certificate

    c = centre()
    if c is None:
        return None
    return Certificate.objects.filter(
        evaluator__organisation_id=c.organisation_id,
        issued_on__year=year,
        status=Certificate.Status.VALID,
    ).count()


@dataclass
class YearRow:
    year: int
    new_recognised: int
    total_recognised: int
    person_times: int
    person_times_target: int | None
    reports: int
    passed: int
    quota: int | None
    allocated: int
    accepted_trainees: int
    centre_certified: int | None
    closed: bool  # the year is over: its reports are due and its targets can be judged


def progress(today: datetime.date | None = None) -> dict[str, Any]:
    """T-SUBBASES: recognitions per year against 20 by 2025, the city-wide public-training person-times
    against 180,000 a year from 2023, the purchase and the centre's certificates."""
    day = today or timezone.localdate()
    by_year = dict(
        Subbase.objects.filter(
            state__in=[SubbaseState.RECOGNISED, SubbaseState.REVOKED], recognised_on__isnull=False
        )
        .values_list("recognised_on__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    reports = {
        r["year"]: r
        for r in SubbaseReport.objects.values("year")
        .annotate(times=Sum("person_times"), n=Count("id"), ok=Count("id", filter=Q(passed=True)))
        .order_by()
    }
    quota_years = set(CoursePurchaseQuota.objects.values_list("year", flat=True))
    years = sorted(set(by_year) | set(reports) | quota_years | {day.year})
    rows, total = [], 0
    for year in years:
        total += by_year.get(year, 0)
        q = quota_view(year)
        r: Any = reports.get(year, {})
        rows.append(
            YearRow(
                year=year,
                new_recognised=by_year.get(year, 0),
                total_recognised=total,
                person_times=int(r.get("times") or 0),
                person_times_target=PERSON_TIMES_TARGET if year >= PERSON_TIMES_FROM else None,
                reports=int(r.get("n") or 0),
                passed=int(r.get("ok") or 0),
                quota=q.places,
                allocated=q.allocated,
                accepted_trainees=q.accepted_trainees,
                centre_certified=centre_volume(year),
                closed=year < day.year,
            )
        )
    current = Subbase.objects.filter(state=SubbaseState.RECOGNISED).count()
    return {
        "rows": rows,
        "recognised": current,
        "target": TARGET_SUBBASES,
        "target_year": TARGET_YEAR,
        "percent": min(100, round(current * 100 / TARGET_SUBBASES)),
        "person_times_target": PERSON_TIMES_TARGET,
        "centre": centre(),
    }
