"""Where the what-if's cases come from: a registry of event sources (`cases` from a file, `demo` from the
demo city; programme apps register theirs), and the readers of a cases file."""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.db import DatabaseError

from skillcity.policy.simulate.run import SimulationError

EventSource = Callable[[datetime.date, datetime.date], pl.DataFrame]


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    label: str
    fn: EventSource


EVENT_SOURCES: dict[str, Source] = {}


def register_event_source(name: str, fn: EventSource, *, label: str = "") -> None:
    """Offer a programme's stored events to the simulation: `fn(date_from, date_to)` returns a cases
    table (rule, date, town and fact columns)."""
    EVENT_SOURCES[name] = Source(name, label or name, fn)


def events_from(name: str, date_from: datetime.date, date_to: datetime.date) -> pl.DataFrame:
    if name not in EVENT_SOURCES:
        known = ", ".join(sorted(EVENT_SOURCES)) or "（无）"
        raise SimulationError(
            "unknown_source", f"未知的事件来源“{name}”；可用：{known}", {"source": "不是已知来源"}
        )
    return EVENT_SOURCES[name].fn(date_from, date_to)


def read_cases(path: Path | str) -> pl.DataFrame:
    """The built-in `cases` source: a CSV (UTF-8, header row; every cell read as text) or Parquet file."""
    path = Path(path)
    if not path.is_file():
        raise SimulationError("missing_file", f"找不到案例文件：{path}", {"cases": "文件不存在"})
    try:
        if path.suffix.lower() == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise SimulationError(
            "bad_cases", f"无法读取案例文件 {path.name}：{exc}", {"cases": "无法读取"}
        ) from None


def read_cases_bytes(data: bytes) -> pl.DataFrame:
    """An uploaded cases CSV."""
    try:
        return pl.read_csv(data, infer_schema=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise SimulationError("bad_cases", f"无法读取上传的案例文件：{exc}", {"cases": "无法读取"}) from None


DEMO_SYNTHETIC_TOWNS = ("长安镇", "虎门镇", "松山湖", "塘厦镇", "常平镇", "南城街道")
DEMO_PROJECT_STANDARDS = ("1800", "2400", "2800", "3200", "3600")
DEMO_LIMIT = 20_000


def demo_cases(date_from: datetime.date, date_to: datetime.date, *, seed: int = 2026) -> pl.DataFrame:
    """Deterministic TRN-UPSKILL and TRN-PROJECT cases: from the demo city's workers (their towns and
    levels) when the registry has any, otherwise a synthetic set of 600 cases over six towns."""
    rng = random.Random(seed)
    people: list[tuple[str, int | None]] = []
    try:
        from skillcity.registry.models import Worker

        people = list(Worker.objects.order_by("id").values_list("town__name", "highest_level")[:DEMO_LIMIT])
    except DatabaseError:  # a data directory not migrated yet (a bare CLI run): use the synthetic set
        people = []
    if not people:
        people = [
            (rng.choice(DEMO_SYNTHETIC_TOWNS), rng.choice((None, 1, 2, 3, 3, 4, 4, 5, 5))) for _ in range(600)
        ]
    span = max((date_to - date_from).days, 0)
    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "rule",
            "date",
            "town",
            "certificate_kind",
            "level",
            "in_shortage_catalog",
            "project_standard",
            "completed",
        )
    }

    def add(rule: str, town: str, **facts: Any) -> None:
        rows["rule"].append(rule)
        rows["date"].append(date_from + datetime.timedelta(days=rng.randint(0, span)))
        rows["town"].append(town)
        for key in ("certificate_kind", "level", "in_shortage_catalog", "project_standard", "completed"):
            rows[key].append(facts.get(key))

    for town, level in people:
        if level is not None:
            add(
                "TRN-UPSKILL",
                town,
                certificate_kind="skill_level",
                level=level,
                in_shortage_catalog=rng.random() < 0.25,
            )
        if rng.random() < 0.4:
            add(
                "TRN-PROJECT",
                town,
                project_standard=rng.choice(DEMO_PROJECT_STANDARDS),
                completed=rng.random() < 0.9,
            )
    return pl.DataFrame(
        rows,
        schema={
            "rule": pl.Utf8,
            "date": pl.Date,
            "town": pl.Utf8,
            "certificate_kind": pl.Utf8,
            "level": pl.Int64,
            "in_shortage_catalog": pl.Boolean,
            "project_standard": pl.Utf8,
            "completed": pl.Boolean,
        },
    )


register_event_source("demo", demo_cases, label="演示数据（演示城市的劳动者）")
