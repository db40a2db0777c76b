"""SUP-EMPLOYMENT-CLAIM — employment claimed without records (issue 20 §1): an application whose facts
claim employment (`employment_start`, and `same_employer_continuous_insured_months` where the rule
reads it, as EDU-GRAD-RETENTION does) while the employment ledger (`employment.selectors.current`)
shows fewer insured months in the window the rule reads: from the claimed start month, as many months
as claimed (one when the rule claims no count).

The worker is the application's own, or — for a school's from-records application — the graduate its
source record names (schools.Graduation).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import as_naive, is_new, money, rule_name, yuan
from skillcity.supervision.checks.frames_a import CHUNK, worker_labels
from skillcity.supervision.models import Severity

STANDING = ("in_review", "returned", "reviewed", "in_notice", "approved", "paid")
GRADUATION_KEY = re.compile(r":grad_retention:(\d+)$")


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def _graduates(keys: list[str]) -> dict[str, int]:
    from skillcity.schools.models import Graduation

    ids = {key: int(m.group(1)) for key in keys if (m := GRADUATION_KEY.search(key or ""))}
    found = dict(Graduation.objects.filter(pk__in=list(ids.values())).values_list("pk", "worker_id"))
    return {key: found[pk] for key, pk in ids.items() if pk in found}


def _insured_months(worker_ids: set[int]) -> dict[int, set[int]]:
    from skillcity.employment.selectors import current

    months: dict[int, set[int]] = defaultdict(set)
    wanted = sorted(worker_ids)
    for start in range(0, len(wanted), CHUNK):
        for worker_id, month in current(wanted[start : start + CHUNK]).values_list("worker_id", "month"):
            months[worker_id].add(_month_index(month))
    return months


def find(ctx: Context) -> Iterable[Finding]:
    claims = as_naive(ctx.frame("applications"), "created_at").filter(
        pl.col("employment_start").is_not_null()
        & pl.col("state").is_in(STANDING)
        & is_new(ctx, pl.col("created_at").cast(pl.Datetime))
    )
    if claims.is_empty():
        return
    graduates = _graduates(claims["source_key"].to_list())
    rows = []
    for row in claims.iter_rows(named=True):
        worker_id = row["worker_id"] or graduates.get(row["source_key"])
        try:
            start = datetime.date.fromisoformat(str(row["employment_start"])[:10])
        except ValueError:
            continue
        if worker_id is None:
            continue
        claimed = int(row["insured_months"]) if (row["insured_months"] or "").isdigit() else 0
        rows.append((row, worker_id, start, claimed))
    insured = _insured_months({r[1] for r in rows})
    names = worker_labels(r[1] for r in rows)
    for row, worker_id, start, claimed in rows:
        first = _month_index(start)
        window = range(first, first + max(claimed, 1))
        found = len(insured.get(worker_id, set()) & set(window))
        if found >= len(window):
            continue
        worker = names.get(worker_id, "")
        span = f"{_month_label(window[0])}至{_month_label(window[-1])}"
        what = f"自{_month_label(first)}起在同一企业连续参保{claimed}个月" if claimed else f"自{start}起就业"
        amount = money(row["paid"] or row["decided"] or row["requested"])
        yield Finding(
            records=(
                RecordRef("grants.application", row["id"], f"{rule_name(row['rule_id'])} #{row['id']}"),
                RecordRef("registry.worker", worker_id, worker),
            ),
            message=(
                f"申请#{row['id']}（{rule_name(row['rule_id'])}）声称劳动者{worker}{what}，"
                f"社保缴费记录中{span}仅有{found}个月参保，涉及{yuan(amount)}元"
            ),
            severity=Severity.HIGH if found == 0 else Severity.MEDIUM,
            money=amount,
            organisation_id=row["organisation_id"],
            worker_id=worker_id,
            town_id=row["town_id"],
            values=(str(start), claimed, found, row["state"]),
        )


register_check(
    Check(
        id="SUP-EMPLOYMENT-CLAIM",
        title=_("申报就业但无参保记录"),
        enforces=_(
            "申报培训后或毕业后就业的补贴，其就业应有社保缴费记录为证："
            "所申报的就业期间每个月都应在社保缴费记录中（D002 第3条；D004 二(九)）"
        ),
        reads=("grants.application", "employment.contribution", "schools.graduation"),
        run=find,
        clause="EDU-GRAD-RETENTION",
    )
)
