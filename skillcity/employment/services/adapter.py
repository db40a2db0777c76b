"""The social-insurance system's adapter: contribution records pulled into the ledger.

`SKILLCITY_SOCIAL_INSURANCE_BACKEND` names the implementation (dotted path). The default is the
simulated system, which keeps its records in a table so the demo and the tests need no network; the
HTTP one talks to the real system at `SKILLCITY_SOCIAL_INSURANCE_URL`. A pull asks for the records
after the cursor it was last given and checks them as an import is checked. The good records are
written; a bad one (a worker not in the registry, a field out of bounds) is held aside on the page's
batch with its reason and the record as sent, for the bureau to see, correct and import, so one bad
record never stops the feed. It runs daily (the task worker's scheduler).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from skillcity.employment.models import PullCursor, SimulatedInsuranceRecord, Source
from skillcity.employment.services import ingest, parse_month
from skillcity.registry.sheet_rows import text

FEED = "contributions"
PAGE = 5000
REQUEST_PAGES = (
    5  # pages a pull pressed on the page (or the API) reads in the request; the daily job reads the rest
)


class InsuranceSystem(Protocol):
    def pull(self, *, after: str, limit: int) -> tuple[list[dict[str, Any]], str]:
        """Records after the cursor `after` ('' from the start), at most `limit`, each with the keys
        of services.COLUMNS; and the cursor after the last one."""
        ...


class SimulatedInsuranceSystem:
    def pull(self, *, after: str, limit: int) -> tuple[list[dict[str, Any]], str]:
        rows = list(SimulatedInsuranceRecord.objects.filter(pk__gt=int(after or 0)).order_by("pk")[:limit])
        records = [
            {
                "id_number": r.id_number,
                "name": r.name,
                "uscc": r.uscc,
                "employer_name": r.employer_name,
                "month": r.month,
                "region": r.region,
                "base": r.base,
                "kind": r.kind,
            }
            for r in rows
        ]
        return records, str(rows[-1].pk) if rows else after


class HttpInsuranceSystem:
    """The real system over HTTP (JSON): POST {after, limit} → {records: [...], cursor}. Not exercised
    in tests."""

    def __init__(self) -> None:
        self.url = getattr(settings, "SKILLCITY_SOCIAL_INSURANCE_URL", "").rstrip("/")

    def pull(self, *, after: str, limit: int) -> tuple[list[dict[str, Any]], str]:
        request = urllib.request.Request(
            self.url + "/contributions",
            data=json.dumps({"after": after, "limit": limit}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read() or b"{}")
        return list(body.get("records", [])), str(body.get("cursor", after))


def insurance_system() -> InsuranceSystem:
    path = getattr(
        settings,
        "SKILLCITY_SOCIAL_INSURANCE_BACKEND",
        "skillcity.employment.services.adapter.SimulatedInsuranceSystem",
    )
    return import_string(path)()  # type: ignore[no-any-return]


def _rounds(page: list[tuple[int, dict[str, Any]]]) -> list[list[tuple[int, dict[str, Any]]]]:
    """The page split so that no call has two records of the same worker, employer and month: a
    record and its correction in one page are written in the order sent."""
    rounds: list[list[tuple[int, dict[str, Any]]]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, record in page:
        try:
            month = f"{parse_month(record.get('month')):%Y-%m}"
        except ValueError:
            month = text(record.get("month"))
        key = (text(record.get("id_number")).upper(), text(record.get("uscc")).upper(), month)
        index = seen.get(key, -1) + 1
        seen[key] = index
        if index == len(rounds):
            rounds.append([])
        rounds[index].append((number, record))
    return rounds


class PageNotWritten(Exception):
    """Another writer recorded one of the page's months meanwhile: the page is rolled back whole and
    the cursor stays, so the next pull reads it again."""


def contributions_pull(*, max_pages: int = 1000, actor: Any = None) -> dict[str, int]:
    """Pull every page the system has after the cursor: pages, rows written, unchanged and held aside.

    A record that fails its check (a worker not in the registry, a bad field) does not stop the feed:
    it is held aside on its batch, with the reason and the record as sent, for the bureau to correct
    and import; the rest of the page is written and the cursor moves on. `actor`: the officer who
    pressed 立即拉取 (named on the batches' audit rows); None for the daily job."""
    system = insurance_system()
    done = {"pages": 0, "written": 0, "unchanged": 0, "held": 0}
    for _page in range(max_pages):
        try:
            with transaction.atomic():
                cursor, _created = PullCursor.objects.select_for_update().get_or_create(name=FEED)
                records, after = system.pull(after=cursor.value, limit=PAGE)
                if not records:
                    break
                counts = {"written": 0, "unchanged": 0, "held": 0}
                for part in _rounds(list(enumerate(records, start=1))):
                    result = ingest(data=part, source=Source.ADAPTER, actor=actor, hold_bad=True)
                    if result.batch is None:
                        raise PageNotWritten
                    counts["written"] += result.created
                    counts["unchanged"] += result.unchanged
                    counts["held"] += len(result.errors)
                cursor.value = after
                cursor.save(update_fields=["value", "updated_at"])
        except PageNotWritten:
            break
        done["pages"] += 1
        for key, value in counts.items():
            done[key] += value
    return done
