"""Reads for registry pages, API and exports; each applies the caller's scope (core.access) first."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from skillcity.core.access import visible_to
from skillcity.registry.models import Organisation, Worker


def worker_list(
    user: Any,
    *,
    q: str = "",
    town: str | int | None = None,
    level: str | int | None = None,
    employer: int | None = None,
    high_skilled: bool | None = None,
) -> QuerySet[Worker]:
    """Workers the user may see, filtered. `q` matches the name, or the full ID number / phone exactly."""
    workers = visible_to(user, Worker.objects.select_related("town", "employer"))
    q = (q or "").strip()
    if q:
        workers = workers.filter(Q(name__contains=q) | Q(id_number=q.upper()) | Q(phone=q))
    if town:
        workers = workers.filter(town_id=town)
    if level not in (None, ""):
        workers = (
            workers.filter(highest_level__isnull=True)
            if str(level) == "none"
            else workers.filter(highest_level=int(level))
        )
    if employer:
        workers = workers.filter(employer_id=employer)
    if high_skilled is not None:
        workers = (
            workers.filter(highest_level__lte=3) if high_skilled else workers.exclude(highest_level__lte=3)
        )
    return workers.order_by("id")


def organisation_list(
    user: Any,
    *,
    q: str = "",
    town: str | int | None = None,
    category: str = "",
    industry: str | int | None = None,
) -> QuerySet[Organisation]:
    organisations = visible_to(user, Organisation.objects.select_related("town", "industry"))
    q = (q or "").strip()
    if q:
        organisations = organisations.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    if town:
        organisations = organisations.filter(town_id=town)
    if category:
        organisations = organisations.filter(category=category)
    if industry:
        organisations = organisations.filter(industry_id=industry)
    return organisations.order_by("name", "id")
