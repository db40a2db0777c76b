"""The supervision checks (issue 20 §1): one module each, registered in `CHECKS`.

A check declares its id, what it enforces (the clause where one exists, else the rationale), the
records it reads, and a function from a `Context` to its findings. It reads whole tables as polars
frames (`ctx.frame(name)`, loaded once a run and shared between checks) and works on columns, not
rows. In an incremental run (`ctx.since` set) it still reads what it needs for context, but reports
only cases that involve a record written since then (`ctx.recent(frame, column)` filters by it).

A finding names its records (`RecordRef`), the subject (an organisation and/or a worker), the money at
stake, a severity and one Chinese sentence with the numbers that made it fire. Its fingerprint is
which records (the same case found again updates the same alert); its digest is their values (a
dismissed alert fires again only when they change).

Adding a check: a module under `skillcity/supervision/checks/` that calls `register_check(Check(...))`,
imported in `skillcity/supervision/registrations.py`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from skillcity.supervision.models import Severity


@dataclass(frozen=True)
class RecordRef:
    """A record behind a finding: its kind ("training.enrolment"), key and a label to show."""

    kind: str
    id: int
    label: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Finding:
    records: tuple[RecordRef, ...]
    message: str
    severity: str = Severity.MEDIUM
    money: Decimal = Decimal("0")
    organisation_id: int | None = None
    worker_id: int | None = None
    town_id: int | None = None
    # The values the check read, for the digest (a dismissed alert fires again when they change).
    values: tuple[Any, ...] = ()
    # What identifies the case when its records are not enough (e.g. a year, a threshold).
    key: tuple[Any, ...] = ()

    def fingerprint(self, check_id: str) -> str:
        ids = sorted((r.kind, r.id) for r in self.records)
        return _hash([check_id, ids, list(self.key)])

    def digest(self) -> str:
        return _hash([list(self.values), str(self.money)])


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, default=str, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Context:
    """What a run gives each check: its frames (loaded once), the incremental cut-off, the day."""

    since: datetime.datetime | None = None
    today: datetime.date = field(default_factory=datetime.date.today)
    _frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.since is None

    def frame(self, name: str) -> pl.DataFrame:
        if name not in self._frames:
            if name not in FRAMES:
                raise KeyError(f"no frame {name!r}: register it in supervision.checks.frames")
            self._frames[name] = FRAMES[name]()
        return self._frames[name]

    def recent(self, frame: pl.DataFrame, column: str) -> pl.DataFrame:
        """The rows written since the incremental cut-off (all rows in a full run)."""
        if self.since is None:
            return frame
        return frame.filter(pl.col(column) >= self.since.replace(tzinfo=None))


@dataclass(frozen=True)
class Check:
    id: str
    title: Any  # Chinese label (gettext_lazy)
    enforces: Any  # the clause or rationale, in Chinese
    reads: tuple[str, ...]  # the records it reads, e.g. ("training.enrolment", "registry.worker")
    run: Callable[[Context], Iterable[Finding]]
    clause: str = ""  # a policy-catalog id or document clause, when there is one


CHECKS: dict[str, Check] = {}
FRAMES: dict[str, Callable[[], pl.DataFrame]] = {}


def register_check(check: Check) -> Check:
    CHECKS[check.id] = check
    return check


def register_frame(name: str, loader: Callable[[], pl.DataFrame]) -> None:
    """A named table checks share: `loader()` reads it whole (see checks/frames.py)."""
    FRAMES[name] = loader
