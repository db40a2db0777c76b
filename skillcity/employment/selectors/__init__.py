"""Reads of the employment records: the current contributions and the employment spells they make."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from skillcity.employment.models import DONGGUAN_PREFIX, Contribution, Kind

CHUNK = 2000  # workers a query (SQLite's bound parameters)


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or that month's last day when it is shorter."""
    index = month_index(day) + months
    last = (month_of(index + 1) - datetime.timedelta(days=1)).day
    return month_of(index).replace(day=min(day.day, last))


def current(worker_ids: Iterable[int] | None = None) -> QuerySet[Contribution]:
    """The rows that count: each (worker, employer, month)'s row no other row supersedes, unless void."""
    rows = Contribution.objects.filter(superseded_by__isnull=True).exclude(kind=Kind.VOID)
    if worker_ids is not None:
        rows = rows.filter(worker_id__in=list(worker_ids))
    return rows


def latest_month(*, town_id: int | None = None) -> datetime.date | None:
    """The ledger's latest month (of a town's workers): the month index answers it without a scan."""
    from django.db.models import Max

    rows = current()
    if town_id is not None:
        rows = rows.filter(worker__town_id=town_id)
    found: datetime.date | None = rows.aggregate(m=Max("month"))["m"]
    return found


def masked_held(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A batch's held records as shown (page and API): the record's ID number masked."""
    from skillcity.core.masking import mask_id_number

    shown = []
    for error in errors:
        record = dict(error.get("record") or {})
        if record.get("id_number"):
            record["id_number"] = mask_id_number(str(record["id_number"]))
        shown.append({**error, "record": record})
    return shown


@dataclass(frozen=True)
class Spell:
    """Continuous months of contributions by one employer for one worker."""

    worker_id: int
    employer_uscc: str
    employer_name: str
    employer_id: int | None
    start: datetime.date  # the first month's first day: the employment start
    end: datetime.date  # the last month's first day
    months: int
    in_dongguan: bool  # every month insured in Dongguan

    def contains(self, month: datetime.date) -> bool:
        return self.start <= month.replace(day=1) <= self.end


def spells_for(worker_ids: Iterable[int]) -> dict[int, list[Spell]]:
    """Each worker's employment spells, by start. A month missing, or another employer, ends a spell;
    a worker insured by two employers in the same months has two spells at once."""
    ids = sorted(set(worker_ids))
    spells: dict[int, list[Spell]] = defaultdict(list)
    # CHUNK workers a query: SQLite bounds the parameters of one `IN`. A worker's rows are all in one
    # chunk, so a run never crosses two.
    for i in range(0, len(ids), CHUNK):
        _spells_into(spells, ids[i : i + CHUNK])
    for worker_spells in spells.values():
        worker_spells.sort(key=lambda s: (s.start, s.employer_uscc))
    return dict(spells)


def _spells_into(spells: dict[int, list[Spell]], worker_ids: list[int]) -> None:
    rows = (
        current(worker_ids)
        .order_by("worker_id", "employer_uscc", "month", "id")
        .values_list("worker_id", "employer_uscc", "employer_name", "employer_id", "month", "region")
    )
    run: list[tuple[int, str, str, int | None, datetime.date, str]] = []

    def close() -> None:
        if run:
            worker_id, uscc, _name, employer_id, start, _region = run[0]
            spells[worker_id].append(
                Spell(
                    worker_id=worker_id,
                    employer_uscc=uscc,
                    employer_name=run[-1][2],
                    employer_id=employer_id,
                    start=start,
                    end=run[-1][4],
                    months=len(run),
                    in_dongguan=all(r[5].startswith(DONGGUAN_PREFIX) for r in run),
                )
            )
            run.clear()

    for row in rows:
        if (
            run
            and (row[0], row[1]) == (run[-1][0], run[-1][1])
            and month_index(row[4]) == month_index(run[-1][4]) + 1
        ):
            run.append(row)
            continue
        close()
        run.append(row)
    close()


def spells_of(worker_id: int) -> list[Spell]:
    return spells_for([worker_id]).get(worker_id, [])
