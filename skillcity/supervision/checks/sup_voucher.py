"""SUP-VOUCHER — voucher patterns (issue 20 §1).

Two patterns of a provider's redemptions (those not taken back):

- **From far away, in bulk.** In one calendar month (Beijing time) the provider redeems at least
  `FAR_MIN` vouchers and at least `FAR_SHARE` of them belong to workers who neither live nor work in
  the provider's town (the worker's town and the employer's town both differ from it). Dongguan's
  towns are close, so some trainees from elsewhere are ordinary; nearly all of a month's bulk is not.
- **Many at the same minutes.** At least `BURST_COUNT` redemptions of different workers within
  `BURST_MINUTES` minutes. At a counter each trainee steps up, shows the card or code, is checked and
  confirmed: a dozen seconds at the very least, so ten within two minutes is a batch of codes typed
  or sent by a script, not a queue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.frames_b import money_sum
from skillcity.supervision.checks.names import worker_names
from skillcity.supervision.models import Severity

CHECK_ID = "SUP-VOUCHER"
FAR_MIN = 20  # redemptions by a provider in a month …
FAR_SHARE = 0.8  # … of which this share from workers living and working in other towns
BURST_COUNT = 10  # redemptions of different workers …
BURST_MINUTES = 2  # … within this many minutes


def _redemptions(ctx: Context) -> pl.DataFrame:
    workers = ctx.frame("workers").select(pl.col("id").alias("worker_id"), "town_id", "employer_id")
    organisations = ctx.frame("organisations")
    towns = organisations.select(
        pl.col("id").alias("employer_id"), pl.col("town_id").alias("employer_town_id")
    )
    providers = organisations.select(
        pl.col("id").alias("provider_id"),
        pl.col("town_id").alias("provider_town_id"),
        pl.col("name").alias("provider"),
    )
    return (
        ctx.frame("redemptions")
        .join(workers, on="worker_id", how="left")
        .join(towns, on="employer_id", how="left")
        .join(providers, on="provider_id", how="left")
        .with_columns(
            (
                (pl.col("town_id") != pl.col("provider_town_id")).fill_null(True)
                & (pl.col("employer_town_id") != pl.col("provider_town_id")).fill_null(True)
            ).alias("far"),
            pl.col("redeemed_at")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(settings.TIME_ZONE)
            .dt.strftime("%Y-%m")
            .alias("month"),
        )
    )


def _label(row: dict[str, Any], who: dict[int, str]) -> str:
    local = timezone.localtime(row["redeemed_at"].replace(tzinfo=datetime.UTC))
    return f"{row['code']} · {who.get(row['worker_id'], row['worker_id'])} · {local:%Y-%m-%d %H:%M:%S}"


def _far(ctx: Context, redemptions: pl.DataFrame) -> list[Finding]:
    months = (
        redemptions.group_by("provider_id", "month")
        .agg(pl.len().alias("n"), pl.col("far").sum().alias("far_n"), pl.max("redeemed_at").alias("last"))
        .filter((pl.col("n") >= FAR_MIN) & (pl.col("far_n") >= FAR_SHARE * pl.col("n")))
    )
    if not ctx.full:
        since = ctx.since.replace(tzinfo=None)  # type: ignore[union-attr]
        months = months.filter(pl.col("last") >= since)
    if months.is_empty():
        return []
    far = redemptions.filter(pl.col("far")).join(months, on=["provider_id", "month"], how="semi")
    who = worker_names(far["worker_id"])
    findings = []
    for case in months.sort("provider_id", "month").iter_rows(named=True):
        rows = far.filter(
            (pl.col("provider_id") == case["provider_id"]) & (pl.col("month") == case["month"])
        ).sort("redeemed_at", "id")
        first = rows.row(0, named=True)
        message = _(
            "%(provider)s %(month)s 核销培训券 %(n)d 张，其中 %(far)d 张（%(share)d%%）的持券人"
            "居住和工作都不在该单位所在镇街。"
        ) % {
            "provider": first["provider"],
            "month": case["month"],
            "n": case["n"],
            "far": case["far_n"],
            "share": round(100 * case["far_n"] / case["n"]),
        }
        findings.append(
            Finding(
                records=tuple(
                    RecordRef("training.redemption", r["id"], _label(r, who))
                    for r in rows.iter_rows(named=True)
                ),
                message=message,
                severity=Severity.MEDIUM,
                money=money_sum(rows["amount"]),
                organisation_id=case["provider_id"],
                town_id=first["provider_town_id"],
                values=(case["n"], case["far_n"]),
                key=("far", case["month"]),
            )
        )
    return findings


def _clusters(times: list[datetime.datetime]) -> list[tuple[int, int]]:
    """Index ranges [start, end) where runs of `BURST_COUNT` redemptions fit in the window, merged."""
    window = datetime.timedelta(minutes=BURST_MINUTES)
    spans: list[tuple[int, int]] = []
    for i in range(len(times) - BURST_COUNT + 1):
        if times[i + BURST_COUNT - 1] - times[i] <= window:
            if spans and i < spans[-1][1]:
                spans[-1] = (spans[-1][0], i + BURST_COUNT)
            else:
                spans.append((i, i + BURST_COUNT))
    return spans


def _minutes(ctx: Context, redemptions: pl.DataFrame) -> list[Finding]:
    ordered = redemptions.sort("provider_id", "redeemed_at", "id")
    lag = BURST_COUNT - 1
    busy = (
        ordered.with_columns(
            (pl.col("redeemed_at") - pl.col("redeemed_at").shift(lag).over("provider_id")).alias("spread")
        )
        .filter(pl.col("spread") <= pl.duration(minutes=BURST_MINUTES))
        .select("provider_id")
        .unique()
    )
    candidates = ordered.join(busy, on="provider_id", how="semi")
    if candidates.is_empty():
        return []
    since = None if ctx.full else ctx.since.replace(tzinfo=None)  # type: ignore[union-attr]
    findings = []
    for (provider_id,), rows in candidates.group_by("provider_id", maintain_order=True):
        table = list(rows.iter_rows(named=True))
        for start, end in _clusters([r["redeemed_at"] for r in table]):
            cluster = table[start:end]
            if since is not None and max(r["redeemed_at"] for r in cluster) < since:
                continue
            workers = {r["worker_id"] for r in cluster}
            if len(workers) < BURST_COUNT:
                continue
            who = worker_names(workers)
            seconds = int((cluster[-1]["redeemed_at"] - cluster[0]["redeemed_at"]).total_seconds())
            local = timezone.localtime(cluster[0]["redeemed_at"].replace(tzinfo=datetime.UTC))
            message = _(
                "%(provider)s 于 %(at)s 起的 %(seconds)d 秒内为 %(workers)d 名劳动者核销培训券 %(n)d 张。"
            ) % {
                "provider": cluster[0]["provider"],
                "at": f"{local:%Y-%m-%d %H:%M}",
                "seconds": seconds,
                "workers": len(workers),
                "n": len(cluster),
            }
            findings.append(
                Finding(
                    records=tuple(RecordRef("training.redemption", r["id"], _label(r, who)) for r in cluster),
                    message=message,
                    severity=Severity.HIGH,
                    money=money_sum(r["amount"] for r in cluster),
                    organisation_id=int(provider_id),  # type: ignore[call-overload]
                    town_id=cluster[0]["provider_town_id"],
                    values=(len(cluster), seconds),
                    key=("minutes",),
                )
            )
    return findings


def run(ctx: Context) -> Iterable[Finding]:
    redemptions = _redemptions(ctx)
    if redemptions.is_empty():
        return []
    return _far(ctx, redemptions) + _minutes(ctx, redemptions)


register_check(
    Check(
        id=CHECK_ID,
        title=gettext_lazy("培训券核销异常：批量外镇街持券人或同一时段集中核销"),
        enforces=gettext_lazy(
            "资金使用监管（D002 八(三)；D004 二(九)）：培训机构批量核销居住、工作都不在本镇街的劳动者的"
            "培训券，或数分钟内集中核销大量培训券，提示虚假报名或代持券核销。"
        ),
        reads=("training.redemption", "training.voucher", "registry.worker", "registry.organisation"),
        run=run,
        clause="D002 八(三)",
    )
)
