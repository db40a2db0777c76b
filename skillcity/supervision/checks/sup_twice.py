"""SUP-TWICE — subsidies paid twice (issue 20 §1): the same worker paid TRN-UPSKILL twice for one
occupation and level; a lower level paid after a higher one in the same occupation; more than 3
skill-upgrade subsidies in one calendar year; one enrolment in two settlements.

TRN-UPSKILL is paid two ways: as lines of an approved or paid training settlement (training app) and as
an approved or paid grants application of a worker. Both are read and compared together.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import LEVEL_NAMES, as_naive, is_new, money, rule_name, yuan
from skillcity.supervision.checks.frames_a import worker_labels
from skillcity.supervision.models import Severity

RULE = "TRN-UPSKILL"
# Official practice the issue cites: at most 3 skill-upgrade subsidies a person a calendar year. No
# parameter in skillcity/policy holds it yet; when one is added, read it here.
MAX_PER_YEAR = 3
SETTLED = ("approved", "paid")
PAID = ("approved", "paid")


def _payments(ctx: Context) -> pl.DataFrame:
    """Each TRN-UPSKILL payment: worker, occupation, level, date, amount, the record and who is behind it."""
    from skillcity.registry.models import Occupation

    codes = dict(Occupation.objects.values_list("pk", "code"))
    names = dict(Occupation.objects.values_list("code", "name"))
    lines = as_naive(ctx.frame("settlement_lines"), "created_at").filter(
        (pl.col("rule") == RULE) & pl.col("settlement_status").is_in(SETTLED)
    )
    from_lines = lines.select(
        pl.lit("training.settlementline").alias("kind"),
        "id",
        "worker_id",
        pl.col("occupation_id").replace_strict(codes, default=None, return_dtype=pl.Utf8).alias("occupation"),
        "level",
        pl.col("completed_on").alias("day"),
        pl.col("amount").cast(pl.Decimal(14, 2)),
        pl.col("provider_id").alias("organisation_id"),
        "town_id",
        pl.col("created_at").cast(pl.Datetime),
    )
    applications = as_naive(ctx.frame("applications"), "created_at").filter(
        (pl.col("rule_id") == RULE)
        & pl.col("state").is_in(PAID)
        & pl.col("worker_id").is_not_null()
        & (pl.col("certificate_kind") == "skill_level")
    )
    from_applications = applications.select(
        pl.lit("grants.application").alias("kind"),
        "id",
        "worker_id",
        pl.col("occupation_code").alias("occupation"),
        pl.col("level").cast(pl.Int64, strict=False),
        pl.col("event_date").alias("day"),
        pl.coalesce("paid", "decided", "requested").cast(pl.Decimal(14, 2)).alias("amount"),
        "organisation_id",
        "town_id",
        pl.col("created_at").cast(pl.Datetime),
    )
    frame = pl.concat([from_lines, from_applications]).with_columns(
        pl.col("occupation").replace_strict(names, default="", return_dtype=pl.Utf8).alias("occupation_name")
    )
    return frame.with_columns(is_new(ctx, pl.col("created_at")).alias("new")).sort("day", "kind", "id")


def _refs(rows: list[dict]) -> tuple[RecordRef, ...]:
    label = {"training.settlementline": "结算明细", "grants.application": "补贴申请"}
    return tuple(RecordRef(r["kind"], r["id"], f"{label[r['kind']]} #{r['id']} {r['day']}") for r in rows)


def _values(rows: list[dict]) -> tuple:
    return tuple(
        (r["kind"], r["id"], r["occupation"], r["level"], str(r["day"]), str(r["amount"])) for r in rows
    )


def find(ctx: Context) -> Iterable[Finding]:
    payments = _payments(ctx)
    findings: list[tuple[list[dict], str, Decimal, str, tuple]] = []
    by_level = payments.filter(pl.col("occupation").is_not_null() & pl.col("level").is_not_null())
    # 1. One occupation and level paid more than once: every payment after the first is at stake.
    # Only the groups that break a rule are walked row by row (a city has a million payments).
    same = ["worker_id", "occupation", "level"]
    repeated = by_level.filter((pl.len().over(same) > 1) & pl.col("new").any().over(same))
    for (_w, _o, _l), group in repeated.group_by(same, maintain_order=True):
        rows = group.to_dicts()
        if len(rows) > 1 and any(r["new"] for r in rows):
            extra = sum((money(r["amount"]) for r in rows[1:]), Decimal("0"))
            first = rows[0]
            findings.append(
                (
                    rows,
                    f"同一职业（{first['occupation_name']}，{first['occupation']}）同一等级"
                    f"（{LEVEL_NAMES.get(first['level'], first['level'])}）领取技能提升补贴{len(rows)}次，"
                    f"重复部分{yuan(extra)}元",
                    extra,
                    Severity.HIGH,
                    ("same_level",),
                )
            )
    # 2. A lower level (a larger number) paid on or after a higher one in the same occupation.
    pairs = (
        by_level.join(by_level, on=["worker_id", "occupation"], suffix="_low")
        .filter((pl.col("level_low") > pl.col("level")) & (pl.col("day_low") >= pl.col("day")))
        .filter(pl.col("new") | pl.col("new_low"))
    )
    for row in pairs.iter_rows(named=True):
        high = {
            k: row[k]
            for k in (
                "kind",
                "id",
                "day",
                "level",
                "occupation",
                "amount",
                "organisation_id",
                "town_id",
                "worker_id",
            )
        }
        low = {
            k: row[f"{k}_low"] for k in ("kind", "id", "day", "level", "amount", "organisation_id", "town_id")
        }
        low |= {"worker_id": row["worker_id"], "occupation": row["occupation"]}
        amount = money(row["amount_low"])
        findings.append(
            (
                [low, high],
                f"{row['day']}已领取{row['occupation_name']}"
                f"{LEVEL_NAMES.get(row['level'], row['level'])}技能提升补贴后，"
                f"又于{row['day_low']}领取较低的{LEVEL_NAMES.get(row['level_low'], row['level_low'])}补贴{yuan(amount)}元",
                amount,
                Severity.HIGH,
                ("lower_after_higher",),
            )
        )
    # 3. More than MAX_PER_YEAR in one calendar year: the ones after the third are at stake.
    yearly = payments.with_columns(pl.col("day").dt.year().alias("year"))
    over = ["worker_id", "year"]
    yearly = yearly.filter((pl.len().over(over) > MAX_PER_YEAR) & pl.col("new").any().over(over))
    for (_w, year), group in yearly.group_by(over, maintain_order=True):
        rows = group.to_dicts()
        if len(rows) > MAX_PER_YEAR and any(r["new"] for r in rows):
            extra = sum((money(r["amount"]) for r in rows[MAX_PER_YEAR:]), Decimal("0"))
            findings.append(
                (
                    rows,
                    f"在{year}年领取技能提升补贴{len(rows)}次，超过每人每年{MAX_PER_YEAR}次的上限，"
                    f"超出部分{yuan(extra)}元",
                    extra,
                    Severity.MEDIUM,
                    ("per_year", year),
                )
            )
    names = worker_labels(r[0][0]["worker_id"] for r in findings)
    for rows, sentence, amount, severity, key in findings:
        worker_id = rows[0]["worker_id"]
        latest = rows[-1]
        yield Finding(
            records=(*_refs(rows), RecordRef("registry.worker", worker_id, names.get(worker_id, ""))),
            message=f"劳动者{names.get(worker_id, '')}{sentence}",
            severity=severity,
            money=amount,
            organisation_id=latest["organisation_id"],
            worker_id=worker_id,
            town_id=latest["town_id"],
            values=_values(rows),
            key=key,
        )
    yield from _two_settlements(ctx)


def _period(code: str) -> str:
    """2025H1 → 2025年上半年 (in Chinese whatever the requester's language: the sentence is stored)."""
    return f"{code[:4]}年{'上' if code.endswith('1') else '下'}半年"


def _two_settlements(ctx: Context) -> Iterable[Finding]:
    """4. One enrolment with lines in two settlements (each rule once per enrolment is a constraint;
    its lines split over two settlements means it was settled twice)."""
    lines = as_naive(ctx.frame("settlement_lines"), "created_at").with_columns(
        is_new(ctx, pl.col("created_at")).alias("new")
    )
    split = (
        lines.group_by("enrolment_id")
        .agg(pl.col("settlement_id").n_unique().alias("settlements"), pl.col("new").any().alias("new"))
        .filter((pl.col("settlements") > 1) & pl.col("new"))
    )
    rows = lines.join(split.select("enrolment_id"), on="enrolment_id").sort(
        "enrolment_id", "settlement_id", "id"
    )
    names = worker_labels(rows["worker_id"].to_list())
    for (enrolment_id,), group in rows.group_by(["enrolment_id"], maintain_order=True):
        items = group.to_dicts()
        first_settlement = items[0]["settlement_id"]
        later = [r for r in items if r["settlement_id"] != first_settlement]
        amount = sum((money(r["amount"]) for r in later), Decimal("0"))
        periods = "、".join(_period(p) for p in sorted({r["period"] for r in items}))
        worker_id = items[0]["worker_id"]
        yield Finding(
            records=(
                RecordRef("training.enrolment", enrolment_id, f"报名 #{enrolment_id}"),
                *(
                    RecordRef("training.settlement", s, f"培训补贴结算 #{s}")
                    for s in sorted({r["settlement_id"] for r in items})
                ),
                *(
                    RecordRef("training.settlementline", r["id"], f"{rule_name(r['rule'])} {r['amount']}元")
                    for r in items
                ),
            ),
            message=(
                f"学员{names.get(worker_id, '')}的报名#{enrolment_id}进入了"
                f"{group['settlement_id'].n_unique()}个结算（{periods}），重复结算{yuan(amount)}元"
            ),
            severity=Severity.HIGH,
            money=amount,
            organisation_id=items[-1]["provider_id"],
            worker_id=worker_id,
            town_id=items[0]["town_id"],
            values=tuple((r["id"], r["settlement_id"], r["rule"], str(r["amount"])) for r in items),
            key=("two_settlements",),
        )


register_check(
    Check(
        id="SUP-TWICE",
        title=_("重复享受补贴"),
        enforces=_(
            "同一职业同一等级的技能提升补贴只享受一次；取得高等级后不再补贴同职业低等级；"
            "每人每年享受技能提升补贴不超过3次；一个报名只结算一次（D002 第8条；D004 二(九)）"
        ),
        reads=("grants.application", "grants.payment", "training.settlement", "training.settlementline"),
        run=find,
        clause="TRN-UPSKILL",
    )
)
