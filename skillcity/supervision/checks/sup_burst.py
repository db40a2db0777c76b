"""SUP-BURST — sign-in bursts (issue 20 §1).

In one class on one day: many trainees signing in from one device or one address (at least
`SHARED_MIN` and at least `SHARED_SHARE` of the class), or at least `BURST_COUNT` sign-ins within
`BURST_SECONDS` seconds. A real roll-call at a door takes each trainee in turn — a face or a card, a
tap, the page again — a few seconds each at the very fastest, so ten within twenty seconds (two seconds
each) is a script or a batch, not a queue; ten within a minute is a brisk door and is left alone.
Timing is read only from sign-ins written on their own day (a row written later carries the time it
was written: the demo's and generated cities' bulk rows, imports).
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
from skillcity.supervision.checks.frames_b import money
from skillcity.supervision.checks.names import worker_names
from skillcity.supervision.models import Severity

CHECK_ID = "SUP-BURST"
SHARED_MIN = 5  # trainees from one device or one address …
SHARED_SHARE = 0.3  # … and this share of the class
BURST_COUNT = 10  # sign-ins …
BURST_SECONDS = 20  # … within this many seconds
NO_ADDRESS = ("", "unknown")


def _shared(signed: pl.DataFrame, sizes: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per class and day, the largest group of sign-ins sharing `column`, when it is many."""
    return (
        signed.filter(~pl.col(column).is_in(NO_ADDRESS))
        .group_by("class_id", "day", column)
        .agg(pl.col("id").alias("ids"), pl.len().alias("n"))
        .join(sizes, on="class_id")
        .filter((pl.col("n") >= SHARED_MIN) & (pl.col("n") >= SHARED_SHARE * pl.col("size")))
        .sort("n", descending=True)
        .unique(["class_id", "day"], keep="first", maintain_order=True)
        .select(
            "class_id", "day", pl.col(column).alias(f"{column}_value"), pl.col("ids").alias(f"{column}_ids")
        )
    )


def _densest(times: list[datetime.datetime], ids: list[int]) -> tuple[list[int], int]:
    """The ids in the fullest `BURST_SECONDS` window of sorted sign-in times, and its span in seconds."""
    best: tuple[int, int] = (0, 0)
    start = 0
    limit = datetime.timedelta(seconds=BURST_SECONDS)
    for end in range(len(times)):
        while times[end] - times[start] > limit:
            start += 1
        if end - start + 1 > best[1] - best[0]:
            best = (start, end + 1)
    span = int((times[best[1] - 1] - times[best[0]]).total_seconds())
    return ids[best[0] : best[1]], span


def run(ctx: Context) -> Iterable[Finding]:
    attendance = ctx.frame("attendance")
    if attendance.is_empty():
        return []
    if not ctx.full:
        touched = ctx.recent(attendance, "signed_at").select("class_id", "day").unique()
        attendance = attendance.join(touched, on=["class_id", "day"], how="semi")
    sizes = (
        ctx.frame("enrolments")
        .filter(pl.col("status") != "withdrawn")
        .group_by("class_id")
        .agg(pl.len().alias("size"))
    )
    by_device = _shared(attendance, sizes, "device_id")
    by_address = _shared(attendance, sizes, "client_address")
    # Timing is read only from sign-ins made on their day: rows written later (back-filled, imported,
    # generated in bulk) carry the time they were written, not a time at the door.
    live = attendance.filter(
        pl.col("signed_at").dt.replace_time_zone("UTC").dt.convert_time_zone(settings.TIME_ZONE).dt.date()
        == pl.col("day")
    )
    ordered = live.sort("class_id", "day", "signed_at", "id")
    lag = BURST_COUNT - 1
    bursting = (
        ordered.with_columns(
            (pl.col("signed_at") - pl.col("signed_at").shift(lag).over("class_id", "day")).alias("spread")
        )
        .filter(pl.col("spread") <= pl.duration(seconds=BURST_SECONDS))
        .select("class_id", "day")
        .unique()
    )
    bursts = (
        ordered.join(bursting, on=["class_id", "day"], how="semi")
        .group_by("class_id", "day", maintain_order=True)
        .agg(pl.col("signed_at").alias("times"), pl.col("id").alias("burst_all"))
    )
    cases = (
        pl.concat(
            [
                by_device.select("class_id", "day"),
                by_address.select("class_id", "day"),
                bursts.select("class_id", "day"),
            ]
        )
        .unique()
        .join(by_device, on=["class_id", "day"], how="left")
        .join(by_address, on=["class_id", "day"], how="left")
        .join(bursts, on=["class_id", "day"], how="left")
        .join(sizes, on="class_id", how="left")
        .join(
            ctx.frame("classes").select(
                pl.col("id").alias("class_id"), "name", "provider_id", "town_id", "standard"
            ),
            on="class_id",
        )
        .sort("class_id", "day")
    )
    if cases.is_empty():
        return []
    by_id = {
        row[0]: row[1:]
        for row in attendance.select("id", "enrolment_id", "worker_id", "signed_at").iter_rows()
    }
    who = worker_names(by_id[i][1] for i in _all_ids(cases))
    return [_finding(row, by_id, who) for row in cases.iter_rows(named=True)]


def _all_ids(cases: pl.DataFrame) -> set[int]:
    ids: set[int] = set()
    for column in ("device_id_ids", "client_address_ids", "burst_all"):
        for value in cases[column].to_list():
            ids.update(value or [])
    return ids


def _finding(row: dict[str, Any], by_id: dict[int, tuple[Any, ...]], who: dict[int, str]) -> Finding:
    parts: list[str] = []
    involved: set[int] = set()
    values: list[Any] = [row["size"]]
    if row["device_id_ids"]:
        ids = row["device_id_ids"]
        parts.append(_("%(n)d 人从同一设备签到") % {"n": len(ids)})
        involved.update(ids)
        values.append(("device", row["device_id_value"], sorted(ids)))
    if row["client_address_ids"]:
        ids = row["client_address_ids"]
        parts.append(
            _("%(n)d 人从同一地址 %(address)s 签到") % {"n": len(ids), "address": row["client_address_value"]}
        )
        involved.update(ids)
        values.append(("address", row["client_address_value"], sorted(ids)))
    if row["times"]:
        ids, span = _densest(row["times"], row["burst_all"])
        parts.append(_("%(n)d 人次在 %(seconds)d 秒内签到") % {"n": len(ids), "seconds": span})
        involved.update(ids)
        values.append(("burst", span, sorted(ids)))
    size = row["size"] or 0
    message = _("%(klass)s %(day)s 的签到异常（全班 %(size)d 人）：%(parts)s。") % {
        "klass": row["name"],
        "day": row["day"].isoformat(),
        "size": size,
        "parts": "；".join(parts),
    }
    enrolments = {by_id[i][0] for i in involved}
    records = [RecordRef("training.trainingclass", row["class_id"], row["name"])]
    for i in sorted(involved):
        _enrolment, worker_id, signed_at = by_id[i]
        local = timezone.localtime(signed_at.replace(tzinfo=datetime.UTC))  # frames hold UTC, naive
        label = f"{who.get(worker_id, worker_id)} {local:%H:%M:%S}"
        records.append(RecordRef("training.attendance", i, label))
    return Finding(
        records=tuple(records),
        message=message,
        severity=Severity.HIGH if len(parts) > 1 else Severity.MEDIUM,
        money=money(row["standard"]) * len(enrolments),
        organisation_id=row["provider_id"],
        town_id=row["town_id"],
        values=tuple(values),
        key=(row["day"].isoformat(),),
    )


register_check(
    Check(
        id=CHECK_ID,
        title=gettext_lazy("签到集中：同一设备、同一地址或数秒内大量签到"),
        enforces=gettext_lazy(
            "培训过程真实性监管（D004 二(九)；审计署 2022 年度审计发现的虚构培训记录）：同一班同一天多人"
            "从同一设备或同一地址签到，或数秒内大量签到，提示代签或批量补录。"
        ),
        reads=("training.attendance", "training.enrolment", "training.trainingclass", "registry.worker"),
        run=run,
        clause="D004 二(九)",
    )
)
