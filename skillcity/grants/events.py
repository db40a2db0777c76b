"""The grants app's stored applications, offered to the policy what-if simulation (`skillcity simulate
--source grants`): each application with its rule, event date, town and facts (as text cells, read
back by the simulation with each rule's fact types). Withdrawn and draft applications are left out."""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "|".join(map(str, value))
    return str(value)


def grants_events(date_from: datetime.date, date_to: datetime.date) -> pl.DataFrame:
    from skillcity.grants.models import Application, ApplicationState

    applications = (
        Application.objects.filter(event_date__gte=date_from, event_date__lte=date_to)
        .exclude(state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN])
        .values_list("rule_id", "event_date", "town__name", "facts")
    )
    records = [
        {"rule": rule, "date": day, "town": town, **{k: _cell(v) for k, v in (facts or {}).items()}}
        for rule, day, town, facts in applications
    ]
    if not records:
        return pl.DataFrame(schema={"rule": pl.Utf8, "date": pl.Date, "town": pl.Utf8})
    names = sorted({k for r in records for k in r} - {"rule", "date", "town"})
    schema = {"rule": pl.Utf8, "date": pl.Date, "town": pl.Utf8, **{n: pl.Utf8 for n in names}}
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in records], schema=schema)


def register() -> None:
    from skillcity.policy.simulate import register_event_source

    register_event_source("grants", grants_events, label="补贴申报（已提交的申请）")
