"""The bureau's statistics of matching (issue 19 §6): needs, head count, matches, acceptances, hires
and confirmed hires, by town and by occupation; and the fairs. A town officer sees their town's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from skillcity.core.access import visible_to
from skillcity.matching.models import Hire, JobFair, JobNeed, Match


@dataclass
class Line:
    label: str
    needs: int = 0
    head_count: int = 0
    matches: int = 0
    accepted: int = 0
    hires: int = 0
    confirmed: int = 0


@dataclass
class Statistics:
    total: Line
    by_town: list[Line] = field(default_factory=list)
    by_occupation: list[Line] = field(default_factory=list)
    fairs: int = 0
    fair_enterprises: int = 0
    fair_vacancies: int = 0
    fair_hires: int = 0


ACCEPTED = [Match.State.ACCEPTED, Match.State.HIRED]


def matching_statistics(user: Any) -> Statistics:
    """Six grouped queries whatever the data's size."""
    needs = visible_to(user, JobNeed.objects.all())
    matches = visible_to(user, Match.objects.all())
    hires = visible_to(user, Hire.objects.filter(need__isnull=False))
    lines: dict[str, dict[Any, Line]] = {"town": {}, "occupation": {}}
    keys = {"town": ("town_id", "town__name"), "occupation": ("occupation_id", "occupation__name")}
    for dim, (key, name) in keys.items():
        prefix = "need__"
        for row in needs.values(key, name).annotate(n=Count("id"), heads=Sum("head_count")):
            line = lines[dim].setdefault(row[key], Line(row[name]))
            line.needs, line.head_count = row["n"], row["heads"] or 0
        for row in (
            matches.values(prefix + key, prefix + name)
            .annotate(n=Count("id"), a=Count("id", filter=_in_state(ACCEPTED)))
            .order_by()
        ):
            line = lines[dim].setdefault(row[prefix + key], Line(row[prefix + name]))
            line.matches, line.accepted = row["n"], row["a"]
        for row in (
            hires.values(prefix + key, prefix + name)
            .annotate(n=Count("id"), c=Count("id", filter=_hire_confirmed()))
            .order_by()
        ):
            line = lines[dim].setdefault(row[prefix + key], Line(row[prefix + name]))
            line.hires, line.confirmed = row["n"], row["c"]
    total = Line("")
    for line in lines["town"].values():
        for attr in ("needs", "head_count", "matches", "accepted", "hires", "confirmed"):
            setattr(total, attr, getattr(total, attr) + getattr(line, attr))
    all_hires = visible_to(user, Hire.objects.all())
    total.hires = all_hires.count()
    total.confirmed = all_hires.filter(state=Hire.State.CONFIRMED).count()
    fairs = visible_to(user, JobFair.objects.all()).aggregate(
        n=Count("id", distinct=True),
        e=Count("enterprises", distinct=True),
        v=Count("vacancies", distinct=True),
    )
    return Statistics(
        total=total,
        by_town=sorted(lines["town"].values(), key=lambda x: (-x.needs, x.label)),
        by_occupation=sorted(lines["occupation"].values(), key=lambda x: (-x.needs, x.label))[:50],
        fairs=fairs["n"] or 0,
        fair_enterprises=fairs["e"] or 0,
        fair_vacancies=fairs["v"] or 0,
        fair_hires=all_hires.filter(fair__isnull=False).count(),
    )


def _in_state(states: list[Any]) -> Any:
    from django.db.models import Q

    return Q(state__in=states)


def _hire_confirmed() -> Any:
    from django.db.models import Q

    return Q(state=Hire.State.CONFIRMED)
