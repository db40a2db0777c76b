"""SUP-THRESHOLD — threshold gaming (issue 20 §1): an enterprise evaluator's new certificates of a
calendar year landing just over the CRT-ENT-VOLUME thresholds (D002 item 21: 1,000 person-times, 100 of
them at 技师 or higher; read from the policy parameters on the year's last day) after years far below
them; or an evaluator's certificates bunched in December against the usual December share.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import dated_on_or_after, money, yuan
from skillcity.supervision.models import Severity

JUST_OVER_PERCENT = 5  # at most 5% over the person-times threshold counts as "just over"
FAR_BELOW_PERCENT = 50  # every earlier year (of the last LOOK_BACK) under half the threshold
LOOK_BACK = 3
DECEMBER_FACTOR = 3  # December's share at least three times the usual share …
DECEMBER_MIN_SHARE = 25  # … and at least a quarter of the year's certificates …
DECEMBER_MIN_CERTIFICATES = 40  # … of an evaluator issuing enough for a share to mean something


def _parameter(params: dict, name: str, year: int, default: int | Decimal) -> Decimal:
    parameter = params.get(name)
    version = parameter.version_on(datetime.date(year, 12, 31)) if parameter else None
    return Decimal(str(version.value)) if version is not None else Decimal(default)


def find(ctx: Context) -> Iterable[Finding]:
    certificates = ctx.frame("certificates").with_columns(
        pl.col("issued_on").dt.year().alias("year"), pl.col("issued_on").dt.month().alias("month")
    )
    yearly = certificates.group_by(
        ["evaluator_id", "organisation_id", "town_id", "evaluator_kind", "year"]
    ).agg(
        pl.len().alias("total"),
        (pl.col("level") <= 2).sum().alias("high"),
        (pl.col("month") == 12).sum().alias("december"),
        pl.col("issued_on").max().alias("last_issued"),
    )
    # Incremental: a year that has a certificate dated since the cut-off.
    touched = yearly.filter(dated_on_or_after(ctx, pl.col("last_issued")))
    from skillcity.policy.params import parameters

    # Read once a run: the bureau's published versions are overlaid from the database on each call.
    params = parameters()
    findings = [
        *_volume(touched.filter(pl.col("evaluator_kind") == "enterprise"), yearly, params),
        *_december(touched, yearly),
    ]
    yield from _named(findings)


def _named(findings: list[Finding]) -> Iterable[Finding]:
    """The evaluator's name in its sentence and on its record (few findings: one query)."""
    from dataclasses import replace

    from skillcity.registry.models import Organisation

    names = dict(
        Organisation.objects.filter(pk__in={f.organisation_id for f in findings}).values_list("pk", "name")
    )
    for finding in findings:
        name = names.get(finding.organisation_id or 0, "")
        record = finding.records[0]
        yield replace(
            finding,
            message=finding.message.replace("评价机构", f"评价机构“{name}”", 1),
            records=(RecordRef(record.kind, record.id, name or record.label),),
        )


def _volume(candidates: pl.DataFrame, yearly: pl.DataFrame, params: dict) -> Iterable[Finding]:
    totals = {(r["evaluator_id"], r["year"]): r["total"] for r in yearly.iter_rows(named=True)}
    for row in candidates.iter_rows(named=True):
        year = row["year"]
        need = int(_parameter(params, "CRT-ENT.volume_certificates", year, 1000))
        need_high = int(_parameter(params, "CRT-ENT.volume_level2_certificates", year, 100))
        if not (need <= row["total"] <= need * (100 + JUST_OVER_PERCENT) // 100 and row["high"] >= need_high):
            continue
        earlier = [totals.get((row["evaluator_id"], y), 0) for y in range(year - LOOK_BACK, year)]
        if not any(earlier) or max(earlier) * 100 >= need * FAR_BELOW_PERCENT:
            continue
        reward = money(_parameter(params, "CRT-ENT.volume", year, Decimal("100000")))
        history = "、".join(
            f"{y}年{n}人次" for y, n in zip(range(year - LOOK_BACK, year), earlier, strict=True)
        )
        yield Finding(
            records=(
                RecordRef("certification.evaluator", row["evaluator_id"], f"评价机构 #{row['evaluator_id']}"),
            ),
            message=(
                f"企业评价机构{year}年新增持证{row['total']}人次（门槛{need}），其中技师及以上{row['high']}人次"
                f"（门槛{need_high}），刚超过年度持证达标奖励门槛；此前{history}，均不足门槛的{FAR_BELOW_PERCENT}%，"
                f"涉及奖励{yuan(reward)}元"
            ),
            severity=Severity.HIGH,
            money=reward,
            organisation_id=row["organisation_id"],
            town_id=row["town_id"],
            values=(row["total"], row["high"], *earlier),
            key=("volume", year),
        )


def _december(candidates: pl.DataFrame, yearly: pl.DataFrame) -> Iterable[Finding]:
    by_year = yearly.group_by("year").agg(
        pl.col("total").sum().alias("year_total"), pl.col("december").sum().alias("year_december")
    )
    frame = (
        candidates.filter(pl.col("total") >= DECEMBER_MIN_CERTIFICATES)
        .join(by_year, on="year")
        # The usual share: every other evaluator's December share that year (1/12 when there is none).
        .with_columns(
            (pl.col("year_total") - pl.col("total")).alias("others"),
            (pl.col("year_december") - pl.col("december")).alias("others_december"),
        )
        .with_columns(
            pl.when(pl.col("others") > 0)
            .then(pl.col("others_december") / pl.col("others"))
            .otherwise(1 / 12)
            .alias("usual"),
            (pl.col("december") / pl.col("total")).alias("share"),
        )
        .filter(
            (pl.col("share") * 100 >= DECEMBER_MIN_SHARE)
            & (pl.col("share") >= pl.col("usual") * DECEMBER_FACTOR)
        )
    )
    for row in frame.iter_rows(named=True):
        share, usual = round(row["share"] * 100), round(row["usual"] * 100, 1)
        yield Finding(
            records=(
                RecordRef("certification.evaluator", row["evaluator_id"], f"评价机构 #{row['evaluator_id']}"),
            ),
            message=(
                f"评价机构{row['year']}年发证{row['total']}张，其中12月{row['december']}张，占{share}%，"
                f"而全市其他评价机构12月发证通常占{usual}%"
            ),
            severity=Severity.MEDIUM,
            money=Decimal("0"),
            organisation_id=row["organisation_id"],
            town_id=row["town_id"],
            values=(row["total"], row["december"]),
            key=("december", row["year"]),
        )


register_check(
    Check(
        id="SUP-THRESHOLD",
        title=_("卡线达标与年底突击发证"),
        enforces=_(
            "企业年度新增持证达1000人次且技师及以上达100人次给予奖励（D002 第21条），"
            "新增持证刚过门槛而往年远低于门槛、或集中在12月发证的，应核查评价的真实性（D004 二(九)）"
        ),
        reads=("certification.certificate", "certification.evaluator"),
        run=find,
        clause="CRT-ENT-VOLUME",
    )
)
