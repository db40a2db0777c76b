"""SUP-SCHEDULE — impossible schedules (issue 20 §1).

A trainee signed into two classes on the same day whose daily sessions overlap; a teacher teaching two
classes whose sessions overlap, on a day both held (both have sign-ins), in different places. Times
are compared strictly: one class ending at 12:00 and the other starting at 12:00 is an honest day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.frames_b import money
from skillcity.supervision.checks.names import hm, worker_names
from skillcity.supervision.models import Severity

CHECK_ID = "SUP-SCHEDULE"


def _overlap_minutes(a0: datetime.time, a1: datetime.time, b0: datetime.time, b1: datetime.time) -> int:
    start, end = max(a0, b0), min(a1, b1)
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _timed_classes(ctx: Context) -> pl.DataFrame:
    return ctx.frame("classes").filter(
        pl.col("session_start").is_not_null() & pl.col("session_end").is_not_null()
    )


def _overlaps(left: str, right: str) -> pl.Expr:
    """Strict overlap of the sessions of the `left` and `right` suffixed columns (a shared boundary is not)."""
    return (pl.col(f"session_start{left}") < pl.col(f"session_end{right}")) & (
        pl.col(f"session_start{right}") < pl.col(f"session_end{left}")
    )


def _trainees(ctx: Context) -> list[Finding]:
    classes = _timed_classes(ctx).select(
        pl.col("id").alias("class_id"),
        "name",
        "provider_id",
        "town_id",
        "standard",
        "session_start",
        "session_end",
    )
    signed = (
        ctx.frame("attendance")
        .select("enrolment_id", "class_id", "worker_id", "day", "signed_at")
        .join(classes, on="class_id")
    )
    pairs = (
        signed.join(signed, on=["worker_id", "day"], suffix="_b")
        .filter(pl.col("class_id") < pl.col("class_id_b"))
        .filter(_overlaps("", "_b"))
    )
    if pairs.is_empty():
        return []
    keys = ["worker_id", "class_id", "class_id_b"]
    if not ctx.full:
        since = ctx.since.replace(tzinfo=None)  # type: ignore[union-attr]
        recent = pairs.filter((pl.col("signed_at") >= since) | (pl.col("signed_at_b") >= since))
        pairs = pairs.join(recent.select(keys).unique(), on=keys, how="semi")
    cases = pairs.group_by(keys).agg(
        pl.col("day").sort().alias("days"),
        pl.first("enrolment_id"),
        pl.first("enrolment_id_b"),
        *(pl.first(c) for c in ("name", "name_b", "standard", "standard_b")),
        *(pl.first(c) for c in ("session_start", "session_end", "session_start_b", "session_end_b")),
        *(pl.first(c) for c in ("provider_id_b", "town_id_b")),
    )
    who = worker_names(cases["worker_id"])
    findings = []
    for row in cases.sort(keys).iter_rows(named=True):
        name = who.get(row["worker_id"], str(row["worker_id"]))
        days: list[datetime.date] = row["days"]
        minutes = _overlap_minutes(
            row["session_start"], row["session_end"], row["session_start_b"], row["session_end_b"]
        )
        message = _(
            "学员%(name)s有 %(days)d 天（首次 %(first)s）同时签到两个上课时间重叠 %(minutes)d 分钟的培训班："
            "%(a)s（%(a0)s–%(a1)s）和 %(b)s（%(b0)s–%(b1)s）。"
        ) % {
            "name": name,
            "days": len(days),
            "first": days[0].isoformat(),
            "minutes": minutes,
            "a": row["name"],
            "a0": hm(row["session_start"]),
            "a1": hm(row["session_end"]),
            "b": row["name_b"],
            "b0": hm(row["session_start_b"]),
            "b1": hm(row["session_end_b"]),
        }
        findings.append(
            Finding(
                records=(
                    RecordRef("training.enrolment", row["enrolment_id"], f"{name} · {row['name']}"),
                    RecordRef("training.enrolment", row["enrolment_id_b"], f"{name} · {row['name_b']}"),
                    RecordRef("registry.worker", row["worker_id"], name),
                ),
                message=str(message),
                severity=Severity.HIGH,
                money=money(row["standard"]) + money(row["standard_b"]),
                organisation_id=row["provider_id_b"],
                worker_id=row["worker_id"],
                town_id=row["town_id_b"],
                values=(
                    [d.isoformat() for d in days],
                    hm(row["session_start"]),
                    hm(row["session_end"]),
                    hm(row["session_start_b"]),
                    hm(row["session_end_b"]),
                ),
            )
        )
    return findings


def _teachers(ctx: Context) -> list[Finding]:
    classes = (
        _timed_classes(ctx)
        .filter(pl.col("teacher_id").is_not_null())
        .with_columns(pl.col("site").str.strip_chars().alias("place"))
        .filter(pl.col("place") != "")
        .select(
            "id",
            "name",
            "teacher_id",
            "place",
            "provider_id",
            "town_id",
            "standard",
            "session_start",
            "session_end",
            "start_date",
            "end_date",
        )
    )
    pairs = (
        classes.join(classes, on="teacher_id", suffix="_b")
        .filter(pl.col("id") < pl.col("id_b"))
        .filter(pl.col("place") != pl.col("place_b"))
        .filter(
            (pl.col("start_date") <= pl.col("end_date_b")) & (pl.col("start_date_b") <= pl.col("end_date"))
        )
        .filter(_overlaps("", "_b"))
    )
    if pairs.is_empty():
        return []
    attendance = ctx.frame("attendance")
    held = attendance.group_by("class_id", "day").agg(pl.max("signed_at").alias("last_signed"))
    both = pairs.join(held, left_on="id", right_on="class_id").join(
        held, left_on=["id_b", "day"], right_on=["class_id", "day"], suffix="_b"
    )
    if both.is_empty():
        return []
    keys = ["id", "id_b"]
    if not ctx.full:
        since = ctx.since.replace(tzinfo=None)  # type: ignore[union-attr]
        recent = both.filter((pl.col("last_signed") >= since) | (pl.col("last_signed_b") >= since))
        both = both.join(recent.select(keys).unique(), on=keys, how="semi")
    enrolled = (
        ctx.frame("enrolments")
        .filter(pl.col("status") != "withdrawn")
        .group_by("class_id")
        .agg(pl.len().alias("trainees"))
    )
    cases = (
        both.group_by(keys)
        .agg(
            pl.col("day").sort().alias("days"),
            *(
                pl.first(c)
                for c in (
                    "teacher_id",
                    "name",
                    "name_b",
                    "place",
                    "place_b",
                    "standard",
                    "standard_b",
                    "session_start",
                    "session_end",
                    "session_start_b",
                    "session_end_b",
                    "provider_id_b",
                    "town_id_b",
                )
            ),
        )
        .join(enrolled, left_on="id", right_on="class_id", how="left")
        .join(enrolled, left_on="id_b", right_on="class_id", how="left", suffix="_b")
    )
    who = worker_names(cases["teacher_id"])
    findings = []
    for row in cases.sort(keys).iter_rows(named=True):
        name = who.get(row["teacher_id"], str(row["teacher_id"]))
        days: list[datetime.date] = row["days"]
        trainees, trainees_b = row["trainees"] or 0, row["trainees_b"] or 0
        message = _(
            "教师%(name)s有 %(days)d 天（首次 %(first)s）在两地同时授课：%(a)s（%(pa)s，%(a0)s–%(a1)s）"
            "与 %(b)s（%(pb)s，%(b0)s–%(b1)s），两班共 %(trainees)d 名学员。"
        ) % {
            "name": name,
            "days": len(days),
            "first": days[0].isoformat(),
            "a": row["name"],
            "pa": row["place"],
            "a0": hm(row["session_start"]),
            "a1": hm(row["session_end"]),
            "b": row["name_b"],
            "pb": row["place_b"],
            "b0": hm(row["session_start_b"]),
            "b1": hm(row["session_end_b"]),
            "trainees": trainees + trainees_b,
        }
        findings.append(
            Finding(
                records=(
                    RecordRef("training.trainingclass", row["id"], row["name"]),
                    RecordRef("training.trainingclass", row["id_b"], row["name_b"]),
                    RecordRef("registry.worker", row["teacher_id"], name),
                ),
                message=str(message),
                severity=Severity.HIGH,
                money=money(row["standard"]) * trainees + money(row["standard_b"]) * trainees_b,
                organisation_id=row["provider_id_b"],
                worker_id=row["teacher_id"],
                town_id=row["town_id_b"],
                values=([d.isoformat() for d in days], row["place"], row["place_b"], trainees, trainees_b),
                key=("teacher",),
            )
        )
    return findings


def run(ctx: Context) -> Iterable[Finding]:
    return _trainees(ctx) + _teachers(ctx)


register_check(
    Check(
        id=CHECK_ID,
        title=_("时间冲突：同一学员或教师同时出现在两个班"),
        enforces=_(
            "培训评价真实性监管（D004 二(九)）：同一学员同一天在上课时间重叠的两个班签到，"
            "或同一教师同一时间在不同地点授课，至少一处记录不实。"
        ),
        reads=("training.attendance", "training.trainingclass", "training.enrolment", "registry.worker"),
        run=run,
        clause="D004 二(九)",
    )
)
