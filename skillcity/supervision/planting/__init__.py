"""Planted fraud (issue 20 §4): a documented number of cases of each kind written into the synthetic
city as ordinary platform records, so the checks can be measured (bench/supervision.py).

One module per kind registers a `Planter` in `PLANTERS` (kind → planter). A planter writes, in bulk and
through the models, exactly what the fraud would leave behind, and near-misses just on the honest side
of the threshold. It returns the cases it planted as record keys; `plant_fraud` writes them to
`planted-truth.json` in the data folder (`settings.DATA_DIR`), never to a table: the checks cannot read
the truth. Every draw comes from a generator seeded with (seed, kind, round), so a seed always plants
the same cases. Planting a round twice into one database is refused (each round leaves an audit row,
which is how a round is known to be planted). docs/supervision-planted.md lists the kinds.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError

TRUTH_FILE = "planted-truth.json"
SIZES = ("city", "demo", "day")


@dataclass(frozen=True)
class Key:
    """A record a finding must name to match the case; `same_as` lists records that stand for it
    equally (a finding naming the settlement line of an enrolment names that enrolment's case)."""

    kind: str
    id: int
    same_as: tuple[tuple[str, int], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "same_as": [list(s) for s in self.same_as]}


@dataclass(frozen=True)
class Case:
    keys: tuple[Key, ...]
    note: str  # what the case looks like, in numbers

    def as_json(self) -> dict[str, Any]:
        return {"keys": [k.as_json() for k in self.keys], "note": self.note}


@dataclass
class Planted:
    cases: list[Case] = field(default_factory=list)
    near_miss: list[Case] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # parts not planted, and why


@dataclass(frozen=True)
class Planter:
    kind: str
    check_id: str  # the check that must find it
    describes: str  # one line: what a case looks like
    counts: dict[str, tuple[int, int]]  # size → (cases, near-misses)
    plant: Callable[[Any, int, int], Planted]  # (Plant, cases, near-misses)


PLANTERS: dict[str, Planter] = {}


def register_planter(planter: Planter) -> Planter:
    PLANTERS[planter.kind] = planter
    return planter


def truth_path() -> Path:
    return Path(settings.DATA_DIR) / TRUTH_FILE


def planted_rounds() -> set[int]:
    """The rounds planted into this database (their audit rows; the truth itself is not in a table)."""
    from skillcity.core.models import AuditEvent

    ids = AuditEvent.objects.filter(action="supervision.plant").values_list("target_id", flat=True)
    return {int(i) for i in ids}


def read_truth(path: Path | None = None) -> dict[str, Any]:
    path = path or truth_path()
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def plant_fraud(
    *,
    seed: int,
    size: str = "city",
    round: int = 0,
    kinds: list[str] | None = None,
    today: datetime.date | None = None,
    path: Path | None = None,
) -> dict[str, Any]:
    """Plant every kind's cases (round 0), or one more day's (round n ≥ 1, size "day", dated n days
    later); write them to the truth file and return its content. Refuses a round already planted."""
    from skillcity.registry.generate.city import TODAY
    from skillcity.supervision.planting import registrations  # noqa: F401  (fills PLANTERS)
    from skillcity.supervision.planting.build import Plant

    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    path = path or truth_path()
    planted = planted_rounds()
    truth = read_truth(path)
    if not truth or not set(truth["rounds"]) <= planted:
        # No truth yet, or a file left from another database (its rounds are not planted in this one).
        truth = {"seed": seed, "rounds": [], "kinds": {}}
    if round in planted:
        raise DomainError(
            "already_planted",
            f"round {round} is already planted (see {path}): plant into a fresh city",
            {},
        )
    base = (today or TODAY) + datetime.timedelta(days=round)
    chosen = [PLANTERS[k] for k in (kinds or sorted(PLANTERS))]
    with transaction.atomic():
        for planter in chosen:
            cases, near = planter.counts[size]
            plant = Plant(seed=seed, kind=planter.kind, round=round, today=base)
            done = planter.plant(plant, cases, near)
            entry = truth["kinds"].setdefault(
                planter.kind,
                {
                    "check": planter.check_id,
                    "describes": planter.describes,
                    "cases": [],
                    "near_miss": [],
                    "skipped": [],
                },
            )
            entry["cases"] += [dict(c.as_json(), round=round) for c in done.cases]
            entry["near_miss"] += [dict(c.as_json(), round=round) for c in done.near_miss]
            entry["skipped"] = sorted(set(entry["skipped"]) | set(done.skipped))
        truth["rounds"].append(round)
        audit_record(
            actor="generate",
            action="supervision.plant",
            target_type="supervision.planted",
            target_id=round,
            after={
                "seed": seed,
                "size": size,
                "round": round,
                "kinds": {
                    k: [len(truth["kinds"][k]["cases"]), len(truth["kinds"][k]["near_miss"])]
                    for k in truth["kinds"]
                },
            },
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        temporary.replace(path)
    return truth


def case_matches(case: dict[str, Any], records: list[dict[str, Any]]) -> bool:
    """A finding (its alert's records) matches a planted case when it names every key record of the
    case, or a record that stands for it."""
    named = {(r["kind"], int(r["id"])) for r in records}
    for key in case["keys"]:
        options = {(key["kind"], key["id"]), *((k, i) for k, i in key["same_as"])}
        if not options & named:
            return False
    return True
