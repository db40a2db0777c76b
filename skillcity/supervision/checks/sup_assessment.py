"""SUP-ASSESSMENT — assessment anomalies (issue 20 §1).

For each assessment session (and each evaluator's sessions of one occupation and level taken
together) with at least `MIN_CANDIDATES` results: its pass rate, and the share of candidates whose
deciding score — the lower of theory and practical, since both must reach the pass mark — lies in
[pass mark, pass mark + `BUNCH_WIDTH`]. Each is compared with its peers (the other sessions, or
evaluators, of the same occupation and level; at least `MIN_PEERS` of them) by a robust z-score:
(value − median) / (1.4826 × MAD), the scale floored at `SCALE_FLOOR` so a group of identical peers
does not make every small difference an outlier. A pass rate with z ≥ `Z` is an outlier; scores are
bunched when their share has z ≥ `Z` and is at least `BUNCH_MIN_SHARE`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.certification.models import PASS_MARK
from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.names import names, organisation_names
from skillcity.supervision.models import Severity

CHECK_ID = "SUP-ASSESSMENT"
MIN_CANDIDATES = 10
MIN_PEERS = 5  # sessions (or evaluators) of the occupation and level, itself included
Z = 3.5
SCALE_FLOOR = 0.05  # five percentage points
BUNCH_WIDTH = 2  # points above the pass mark
BUNCH_MIN_SHARE = 0.25
GROUP = ["occupation_id", "level"]


def _robust_z(column: str) -> tuple[pl.Expr, pl.Expr]:
    median = pl.col(column).median().over(GROUP)
    mad = (pl.col(column) - median).abs().median().over(GROUP)
    scale = pl.max_horizontal(1.4826 * mad, pl.lit(SCALE_FLOOR))
    return ((pl.col(column) - median) / scale).alias(f"{column}_z"), median.alias(f"{column}_median")


def _stats(candidates: pl.DataFrame, unit: list[str]) -> pl.DataFrame:
    mark = float(PASS_MARK)
    deciding = pl.min_horizontal("theory", "practical")
    stats = (
        candidates.group_by([*unit, *GROUP])
        .agg(
            pl.len().alias("n"),
            (pl.col("result") == "passed").sum().alias("passed"),
            ((deciding >= mark) & (deciding <= mark + BUNCH_WIDTH)).sum().alias("bunched"),
            pl.col("session_id").unique().sort().alias("sessions"),
            pl.first("organisation_id"),
            pl.first("town_id"),
            pl.max("created_at").alias("last_created"),
            pl.max("date").alias("last_date"),
            pl.min("date").alias("first_date"),
        )
        .filter(pl.col("n") >= MIN_CANDIDATES)
        .with_columns(
            (pl.col("passed") / pl.col("n")).alias("pass_rate"),
            (pl.col("bunched") / pl.col("n")).alias("bunch"),
        )
        .with_columns(pl.len().over(GROUP).alias("peers"))
        .filter(pl.col("peers") >= MIN_PEERS)
    )
    return stats.with_columns(*_robust_z("pass_rate"), *_robust_z("bunch")).filter(
        (pl.col("pass_rate_z") >= Z) | ((pl.col("bunch_z") >= Z) & (pl.col("bunch") >= BUNCH_MIN_SHARE))
    )


def _pct(value: float) -> int:
    return round(100 * value)


def _findings(ctx: Context, cases: pl.DataFrame, unit: str) -> list[Finding]:
    if not ctx.full:
        since = ctx.since.replace(tzinfo=None)  # type: ignore[union-attr]
        cases = cases.filter((pl.col("last_created") >= since) | (pl.col("last_date") >= since.date()))
    if cases.is_empty():
        return []
    from skillcity.registry.models import Occupation

    occupations = names(Occupation, cases["occupation_id"])
    organisations = organisation_names(cases["organisation_id"])
    findings = []
    for row in cases.sort("organisation_id", "first_date").iter_rows(named=True):
        parts = []
        pass_fires = row["pass_rate_z"] >= Z
        bunch_fires = row["bunch_z"] >= Z and row["bunch"] >= BUNCH_MIN_SHARE
        if pass_fires:
            parts.append(
                _("合格率 %(rate)d%%（同职业同等级 %(peers)d 个%(kind)s中位数 %(median)d%%）")
                % {
                    "rate": _pct(row["pass_rate"]),
                    "peers": row["peers"],
                    "kind": _("批次") if unit == "session" else _("评价机构"),
                    "median": _pct(row["pass_rate_median"]),
                }
            )
        if bunch_fires:
            parts.append(
                _(
                    "%(n)d 人（%(share)d%%）成绩刚过合格线，落在 %(low)d–%(high)d 分（同类中位数 %(median)d%%）"
                )
                % {
                    "n": row["bunched"],
                    "share": _pct(row["bunch"]),
                    "low": int(PASS_MARK),
                    "high": int(PASS_MARK) + BUNCH_WIDTH,
                    "median": _pct(row["bunch_median"]),
                }
            )
        subject = {
            "evaluator": organisations.get(row["organisation_id"], str(row["organisation_id"])),
            "occupation": occupations.get(row["occupation_id"], ""),
            "level": row["level"],
            "n": row["n"],
            "parts": "；".join(parts),
        }
        if unit == "session":
            message = _(
                "%(evaluator)s %(date)s 的%(occupation)s %(level)d 级考核批次 %(n)d 人：%(parts)s。"
            ) % (subject | {"date": row["first_date"].isoformat()})
        else:
            message = _(
                "%(evaluator)s 的%(occupation)s %(level)d 级考核（%(sessions)d 个批次）共 %(n)d 人：%(parts)s。"
            ) % (subject | {"sessions": len(row["sessions"])})
        label_date: datetime.date = row["first_date"]
        records = tuple(
            RecordRef("certification.session", s, f"{subject['occupation']} {row['level']} 级 {label_date}")
            for s in row["sessions"]
        )
        findings.append(
            Finding(
                records=records,
                message=message,
                severity=Severity.HIGH if pass_fires and bunch_fires else Severity.MEDIUM,
                money=Decimal("0"),
                organisation_id=row["organisation_id"],
                town_id=row["town_id"],
                values=(row["n"], row["passed"], row["bunched"], row["peers"]),
                key=(unit,),
            )
        )
    return findings


def run(ctx: Context) -> Iterable[Finding]:
    candidates = ctx.frame("candidates").filter(
        pl.col("theory").is_not_null() & pl.col("practical").is_not_null()
    )
    if candidates.is_empty():
        return []
    findings = _findings(ctx, _stats(candidates, ["session_id"]), "session")
    # An evaluator's sessions together: only where it held two or more (one is the session above).
    evaluators = _stats(candidates, ["evaluator_id"]).filter(pl.col("sessions").list.len() >= 2)
    return findings + _findings(ctx, evaluators, "evaluator")


register_check(
    Check(
        id=CHECK_ID,
        title=gettext_lazy("考核异常：合格率或成绩分布偏离同类"),
        enforces=gettext_lazy(
            "培训评价真实性监管（D004 二(九)；审计署 2022 年度审计发现 334 家评价机构降低考核标准、"
            "篡改成绩）：评价机构或考核批次的合格率远高于同职业同等级的同类，或成绩集中在刚过合格线处。"
        ),
        reads=("certification.candidate", "certification.session", "certification.evaluator"),
        run=run,
        clause="D004 二(九)",
    )
)
