"""Small helpers checks A share: money from polars decimals, dates in messages, the incremental cut."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import polars as pl

from skillcity.supervision.checks import Context

CENT = Decimal("0.01")
LEVEL_NAMES = {1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}
GENDER_NAMES = {"M": "男", "F": "女"}


def money(value: Any) -> Decimal:
    """A polars decimal (or None) as a Decimal of yuan to the fen."""
    return (Decimal(str(value)) if value is not None else Decimal("0")).quantize(CENT)


def yuan(value: Decimal) -> str:
    return f"{value.quantize(CENT)}"


def since_naive(ctx: Context) -> datetime.datetime | None:
    return ctx.since.replace(tzinfo=None) if ctx.since is not None else None


def is_new(ctx: Context, created: pl.Expr) -> pl.Expr:
    """Written since the incremental cut-off (always true in a full run)."""
    cut = since_naive(ctx)
    if cut is None:
        return pl.lit(True)
    return created.fill_null(datetime.datetime.min) >= cut


def dated_on_or_after(ctx: Context, day: pl.Expr) -> pl.Expr:
    """For records with no creation time: dated on or after the cut-off's day (true in a full run)."""
    cut = since_naive(ctx)
    if cut is None:
        return pl.lit(True)
    return day.fill_null(datetime.date.min) >= cut.date()


def as_naive(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """PostgreSQL gives aware datetimes, SQLite naive UTC: make them all naive UTC."""
    out = frame
    for name in columns:
        dtype = out.schema[name]
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            out = out.with_columns(pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None))
    return out


def rule_name(rule_id: str) -> str:
    """A rule's Chinese title for a stored sentence (never its ID: pages show no internal code, and
    the sentence is kept in Chinese whatever the language of the run's requester)."""
    from skillcity.policy.engine import load_rules

    rule = load_rules().get(rule_id)
    return str(rule.title) if rule is not None else "补贴"
