"""The bureau's statistics of the employment loop (issue 19 §6), from the records:

- the technical schools' graduates employed within 12 months, per school and year (T-TECH-SCHOOLS,
  D001 二: at least 98%), the same reading as the schools' progress page;
- insured workers in the ledger's latest month, by the worker's town;
- hires and separations per month: a spell beginning (no row for that worker and employer the month
  before) or ending (none the month after, before the ledger's latest month).

A town officer sees the town's workers only (the schools' table is the bureau's).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from skillcity.employment.models import DONGGUAN_PREFIX
from skillcity.employment.selectors import current, latest_month, month_index, month_of

FLOW_MONTHS = 12
TARGET = Decimal("0.98")  # T-TECH-SCHOOLS: graduates employed


@dataclass(frozen=True)
class SchoolYear:
    """A school's graduates of a year. `employed` counts the graduates whose 12 months the ledger has
    closed; `pending` those still inside them (观察期未满): neither employed nor not yet. The share is
    over the closed ones, and a year with graduates pending is not judged."""

    school: str
    private: bool
    year: int
    graduates: int
    employed: int
    pending: int = 0

    @property
    def closed(self) -> int:
        return self.graduates - self.pending

    @property
    def share(self) -> Decimal | None:
        return (Decimal(self.employed) / self.closed).quantize(Decimal("0.0001")) if self.closed else None

    @property
    def meets_target(self) -> bool:
        return not self.pending and self.share is not None and self.share >= TARGET

    @property
    def verdict(self) -> str:
        """met, not_met, or pending (some graduates' 12 months still open: not 未达标)."""
        if self.pending:
            return "pending"
        return "met" if self.meets_target else "not_met"


def graduate_employment(years: list[int], *, school_id: int | None = None) -> list[SchoolYear]:
    """Per technical school (or only `school_id`) and year: graduates, and those employed."""
    from skillcity.employment.selectors.retention import graduation_windows
    from skillcity.schools.models import Graduation, School, SchoolKind

    out: list[SchoolYear] = []
    schools = School.objects.filter(kind=SchoolKind.TECHNICAL).select_related("organisation")
    if school_id is not None:
        schools = schools.filter(pk=school_id)
    for school in schools:
        for year in years:
            graduated = list(
                Graduation.objects.filter(school=school, graduated_on__year=year).only(
                    "id", "worker_id", "graduated_on"
                )
            )
            if graduated:
                employed, closed = graduation_windows(graduated)
                out.append(
                    SchoolYear(
                        school.organisation.name,
                        school.is_private,
                        year,
                        len(graduated),
                        len(employed & closed),
                        len(graduated) - len(closed),
                    )
                )
    return out


@dataclass(frozen=True)
class Flow:
    month: datetime.date
    insured: int
    hires: int
    separations: int | None  # None for the latest month: whether it ends is not known yet


@dataclass(frozen=True)
class Summary:
    latest: datetime.date | None
    insured: int
    in_dongguan: int
    by_town: list[tuple[str, int]]
    flows: list[Flow]


def summary(*, town_id: int | None = None) -> Summary:
    rows = current()
    if town_id is not None:
        rows = rows.filter(worker__town_id=town_id)
    latest = latest_month(town_id=town_id)
    if latest is None:
        return Summary(None, 0, 0, [], [])
    last = month_index(latest)
    first = last - FLOW_MONTHS  # one month before the first shown: a hire needs the month before
    recent = rows.filter(month__gte=month_of(first), month__lte=latest).values_list(
        "worker_id", "employer_uscc", "month", "region", "worker__town__name"
    )
    held: set[tuple[int, str, int]] = set()
    insured: dict[int, set[int]] = defaultdict(set)
    towns: Counter[str] = Counter()
    dongguan: set[int] = set()
    counted: set[int] = set()  # a worker with two employers in the latest month is one worker
    for worker_id, uscc, month, region, town in recent:
        index = month_index(month)
        held.add((worker_id, uscc, index))
        insured[index].add(worker_id)
        if index == last and worker_id not in counted:
            counted.add(worker_id)
            towns[town] += 1
        if index == last and region.startswith(DONGGUAN_PREFIX):
            dongguan.add(worker_id)
    hires: Counter[int] = Counter()
    separations: Counter[int] = Counter()
    for worker_id, uscc, index in held:
        if index > first and (worker_id, uscc, index - 1) not in held:
            hires[index] += 1
        if index < last and (worker_id, uscc, index + 1) not in held:
            separations[index] += 1
    flows = [
        Flow(month_of(i), len(insured[i]), hires[i], separations[i] if i < last else None)
        for i in range(last, first, -1)
    ]
    return Summary(latest, len(insured[last]), len(dongguan), towns.most_common(), flows)


def cached(*, town_id: int | None, years: list[int]) -> tuple[Summary, list[SchoolYear]]:
    """The page's figures, kept 10 minutes unless a batch of contributions or a graduation is recorded
    (a school's table reads every graduate's months: about 2 s over the demo's 18,000 graduates)."""
    from django.core.cache import cache

    from skillcity.employment.models import ContributionBatch
    from skillcity.schools.models import Graduation

    version = (
        ContributionBatch.objects.aggregate(m=Max("id"))["m"],
        Graduation.objects.aggregate(m=Max("id"))["m"],
        Graduation.objects.count(),
    )
    key = f"employment-stats:{town_id}:{'-'.join(map(str, years))}:{'-'.join(map(str, version))}"
    found = cache.get(key)
    if found is None:
        found = (summary(town_id=town_id), graduate_employment(years) if town_id is None else [])
        cache.set(key, found, 600)
    return found
