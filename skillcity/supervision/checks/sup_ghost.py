"""SUP-GHOST — ghost trainees (issue 20 §1): a trainee, certificate holder or subsidy payee who on the
event date is recorded as retired, a full-time student or deceased (registry.WorkerStatus), or is
outside working age. The National Audit Office found ¥52.19 M paid for such trainees in 2022.

Working age: 16 (Labour Law art. 15 forbids employing anyone under 16) up to the statutory retirement
age that Guangdong applies, 60 for men and 55 for women (国发〔1978〕104号, as Guangdong's
人社 rules apply it; the gradual raise from 2025 is not yet modelled — see docs). A person has left
working age on the birthday that reaches the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import (
    GENDER_NAMES,
    as_naive,
    dated_on_or_after,
    is_new,
    money,
    yuan,
)
from skillcity.supervision.checks.frames_a import worker_labels
from skillcity.supervision.models import Severity

MIN_WORKING_AGE = 16  # Labour Law art. 15
# Guangdong's statutory retirement ages (国发〔1978〕104号 as applied by 广东省人社厅): men 60, women 55.
MAX_WORKING_AGE = {"M": 60, "F": 55}
# Claims still standing: a draft, a withdrawn or a rejected application moves no money.
STANDING = ("in_review", "returned", "reviewed", "in_notice", "approved", "paid")
STATUS_NAMES = {"retired": "已退休", "full_time_student": "全日制在校学生", "deceased": "已死亡"}
EVENT_WORDS = {
    "training.enrolment": "报名培训",
    "certification.certificate": "取得职业技能等级证书",
    "grants.application": "申领补贴",
}
ROLE_WORDS = {
    "training.enrolment": "学员",
    "certification.certificate": "持证人",
    "grants.application": "补贴领取人",
}


def _events(ctx: Context) -> pl.DataFrame:
    """Every event a worker takes part in, with its date, the organisation behind it and the money."""
    lines = as_naive(ctx.frame("settlement_lines"), "created_at")
    # An enrolment's newest settlement is when it was last claimed for: a payment settled since the
    # last run makes an old enrolment new to this run.
    paid_per_enrolment = lines.group_by("enrolment_id").agg(
        pl.col("amount").sum().alias("money"), pl.col("created_at").max().cast(pl.Datetime).alias("settled")
    )
    enrolments = (
        ctx.frame("enrolments")
        .join(paid_per_enrolment, left_on="id", right_on="enrolment_id", how="left")
        .select(
            pl.lit("training.enrolment").alias("kind"),
            "id",
            "worker_id",
            pl.col("enrolled_on").alias("event_date"),
            pl.col("provider_id").alias("organisation_id"),
            "town_id",
            pl.col("money").cast(pl.Decimal(14, 2)),
            pl.col("settled").alias("created_at"),
            pl.lit("").alias("number"),
        )
    )
    certificates = (
        ctx.frame("certificates")
        .filter(pl.col("status") == "valid")
        .select(
            pl.lit("certification.certificate").alias("kind"),
            "id",
            "worker_id",
            pl.col("issued_on").alias("event_date"),
            "organisation_id",
            "town_id",
            pl.lit(None, dtype=pl.Decimal(14, 2)).alias("money"),
            pl.lit(None, dtype=pl.Datetime).alias("created_at"),
            "number",
        )
    )
    applications = as_naive(ctx.frame("applications"), "created_at")
    applications = applications.filter(
        pl.col("worker_id").is_not_null() & pl.col("state").is_in(STANDING)
    ).select(
        pl.lit("grants.application").alias("kind"),
        "id",
        "worker_id",
        "event_date",
        "organisation_id",
        "town_id",
        pl.coalesce("paid", "decided", "requested").cast(pl.Decimal(14, 2)).alias("money"),
        pl.col("created_at").cast(pl.Datetime),
        pl.col("rule_id").alias("number"),
    )
    return pl.concat([enrolments, certificates, applications])


def _age(event: pl.Expr, birth: pl.Expr) -> pl.Expr:
    before_birthday = (event.dt.month() < birth.dt.month()) | (
        (event.dt.month() == birth.dt.month()) & (event.dt.day() < birth.dt.day())
    )
    return event.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def find(ctx: Context) -> Iterable[Finding]:
    workers = ctx.frame("workers").select(
        pl.col("id").alias("worker_id"), "gender", "birth_date", pl.col("town_id").alias("home_town_id")
    )
    events = _events(ctx).join(workers, on="worker_id", how="inner")
    events = events.with_columns(
        ((pl.col("kind") != "grants.application") | pl.col("number").str.starts_with("TRN-")).alias(
            "training"
        )
    )
    events = events.with_columns(_age(pl.col("event_date"), pl.col("birth_date")).alias("age")).with_columns(
        pl.col("gender").replace_strict(MAX_WORKING_AGE, default=60, return_dtype=pl.Int32).alias("limit")
    )
    statuses = as_naive(ctx.frame("worker_statuses"), "created_at").select(
        "worker_id",
        pl.col("id").alias("status_id"),
        pl.col("kind").alias("status"),
        "valid_from",
        "valid_to",
        pl.col("created_at").cast(pl.Datetime).alias("status_created"),
    )
    # A status in force on the event date (its first day and its last day included).
    by_status = (
        events.join(statuses, on="worker_id", how="inner")
        .filter(
            (pl.col("valid_from") <= pl.col("event_date"))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col("event_date")))
        )
        # Only training subsidies (TRN-*) are for the working population: a retired master may hold a
        # talent card (TAL-CARD), but no one is paid anything after death.
        .filter(pl.col("training") | (pl.col("status") == "deceased"))
        .sort("status_id")
        .unique(subset=["kind", "id"], keep="first", maintain_order=True)
    )
    by_age = events.filter(
        pl.col("training") & ((pl.col("age") < MIN_WORKING_AGE) | (pl.col("age") >= pl.col("limit")))
    ).join(by_status.select("kind", "id"), on=["kind", "id"], how="anti")
    new_event = is_new(ctx, pl.col("created_at")) | (
        pl.col("created_at").is_null() & dated_on_or_after(ctx, pl.col("event_date"))
    )
    by_status = by_status.filter(new_event | is_new(ctx, pl.col("status_created")))
    by_age = by_age.filter(new_event)
    names = worker_labels(pl.concat([by_status["worker_id"], by_age["worker_id"]]).to_list())
    for row in by_status.iter_rows(named=True):
        yield _finding(row, names, status=True)
    for row in by_age.iter_rows(named=True):
        yield _finding(row, names, status=False)


def _finding(row: dict, names: dict[int, str], *, status: bool) -> Finding:
    kind, worker = row["kind"], names.get(row["worker_id"], "")
    day: date = row["event_date"]
    role, event = ROLE_WORDS[kind], EVENT_WORDS[kind]
    gender = GENDER_NAMES.get(row["gender"], "")
    records = [
        RecordRef(kind, row["id"], f"{event} #{row['id']}"),
        RecordRef("registry.worker", row["worker_id"], worker),
    ]
    if status:
        until = f"至{row['valid_to']}" if row["valid_to"] else "起"
        message = (
            f"{role}{worker}（{gender}，{row['age']}岁）在{day}{event}时已登记为"
            f"{STATUS_NAMES[row['status']]}（{row['valid_from']}{until}）"
        )
        records.append(RecordRef("registry.workerstatus", row["status_id"], STATUS_NAMES[row["status"]]))
        values: tuple = (row["status"], row["valid_from"], row["valid_to"], day, row["worker_id"])
        severity = Severity.HIGH if row["status"] == "deceased" or row["money"] else Severity.MEDIUM
    elif row["age"] < MIN_WORKING_AGE:
        message = f"{role}{worker}（{gender}，{row['age']}岁）在{day}{event}时未满法定最低就业年龄{MIN_WORKING_AGE}岁"
        values = (row["birth_date"], row["gender"], day, row["worker_id"])
        severity = Severity.HIGH if row["money"] else Severity.MEDIUM
    else:
        message = (
            f"{role}{worker}（{gender}，{row['age']}岁）在{day}{event}时"
            f"已超过法定劳动年龄上限{row['limit']}岁"
        )
        values = (row["birth_date"], row["gender"], day, row["worker_id"])
        severity = Severity.HIGH if row["money"] else Severity.MEDIUM
    amount = money(row["money"])
    if amount:
        message += f"，涉及补贴{yuan(amount)}元"
    return Finding(
        records=tuple(records),
        message=message,
        severity=severity,
        money=amount,
        organisation_id=row["organisation_id"],
        worker_id=row["worker_id"],
        town_id=row["town_id"] or row["home_town_id"],
        values=(*values, str(amount)),
    )


register_check(
    Check(
        id="SUP-GHOST",
        title=_("虚假学员：退休、在校、死亡或超出劳动年龄"),
        enforces=_(
            "补贴性培训、评价和补贴的对象应为法定劳动年龄内的劳动者（男16–60岁、女16–55岁），"
            "已退休、全日制在校学生和已死亡人员不得作为学员、持证人或补贴对象（D004 二(九)；审计署2022年度审计报告）"
        ),
        reads=(
            "training.enrolment",
            "certification.certificate",
            "grants.application",
            "registry.worker",
            "registry.workerstatus",
            "training.settlementline",
        ),
        run=find,
        clause="D004 二(九)",
    )
)
