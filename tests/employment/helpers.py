"""Contribution records for tests, written through the ledger's own check (services.ingest)."""

from __future__ import annotations

import datetime
from typing import Any

from skillcity.employment.models import Source
from skillcity.employment.services import ingest

DONGGUAN = "441900"
SHENZHEN = "440300"


def months(start: str, count: int) -> list[str]:
    year, month = (int(x) for x in start.split("-"))
    out = []
    for i in range(count):
        y, m = divmod(year * 12 + month - 1 + i, 12)
        out.append(f"{y}-{m + 1:02d}")
    return out


def cells(
    worker: Any, employer: Any, month: str, *, region: str = DONGGUAN, base: str = "4500", kind: str = ""
) -> dict[str, Any]:
    return {
        "id_number": worker.id_number,
        "name": worker.name,
        "uscc": employer.uscc,
        "employer_name": employer.name,
        "month": month,
        "region": region,
        "base": base,
        "kind": kind,
    }


def contribute(
    worker: Any, employer: Any, start: str, count: int, *, actor: Any = None, region: str = DONGGUAN
) -> None:
    """`count` months of contributions from `start` (YYYY-MM), written or the test fails."""
    data = [
        (n, cells(worker, employer, m, region=region)) for n, m in enumerate(months(start, count), start=2)
    ]
    result = ingest(data=data, source=Source.IMPORT, actor=actor)
    assert result.batch is not None, result.errors


def first(month: str) -> datetime.date:
    return datetime.date.fromisoformat(month + "-01")
