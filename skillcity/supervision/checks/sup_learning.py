"""SUP-LEARNING — online learning (issue 20 §1): a learner with repeated supervision signals from the
learning app (beats faster than real time, two lessons playing at once, long unbroken play with no
interaction) on one course; the course's provider is named. The money is what was settled for the
learner's training enrolments in projects that required the course (the completion counted toward a
subsidy there); otherwise none.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import as_naive, is_new, money, yuan
from skillcity.supervision.checks.frames_a import worker_labels
from skillcity.supervision.models import Severity

REPEATED = 3  # three signals on one course: one can be a slow network or a forgotten tab
KIND_NAMES = {
    "faster_than_real_time": "进度快于真实时间",
    "concurrent_play": "同时播放两节课",
    "unbroken_play": "长时间连续播放无互动",
}


def _subsidised(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """(worker, course) → what was settled for the worker's enrolments in projects requiring the course."""
    from django.db.models import Sum

    from skillcity.training.models import SettlementLine

    if not pairs:
        return {}
    workers = {w for w, _c in pairs}
    rows = (
        SettlementLine.objects.filter(
            worker_id_ref__in=list(workers), enrolment__training_class__project__required_course__isnull=False
        )
        .values_list("worker_id_ref", "enrolment__training_class__project__required_course_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(w, c): money(t) for w, c, t in rows if (w, c) in pairs}


def find(ctx: Context) -> Iterable[Finding]:
    signals = as_naive(ctx.frame("signals"), "detected_at")
    groups = (
        signals.with_columns(is_new(ctx, pl.col("detected_at").cast(pl.Datetime)).alias("new"))
        .sort("id")
        .group_by(["worker_id", "course_id", "provider_id", "town_id"], maintain_order=True)
        .agg(pl.col("id"), pl.col("kind"), pl.col("new").any().alias("new"))
        .filter((pl.col("id").list.len() >= REPEATED) & pl.col("new"))
    )
    from skillcity.learning.models import Course

    titles = dict(Course.objects.filter(pk__in=groups["course_id"].to_list()).values_list("pk", "title"))
    names = worker_labels(groups["worker_id"].to_list())
    paid = _subsidised({(r["worker_id"], r["course_id"]) for r in groups.iter_rows(named=True)})
    for row in groups.iter_rows(named=True):
        worker = names.get(row["worker_id"], "")
        counts = {k: row["kind"].count(k) for k in KIND_NAMES if k in row["kind"]}
        detail = "、".join(f"{KIND_NAMES[k]}{n}次" for k, n in counts.items())
        amount = paid.get((row["worker_id"], row["course_id"]), Decimal("0"))
        title = titles.get(row["course_id"], "")
        message = f"学员{worker}在在线课程“{title}”的学习中出现{len(row['id'])}次异常信号（{detail}）"
        if amount:
            message += f"，该课程的完成记录已计入培训项目补贴{yuan(amount)}元"
        yield Finding(
            records=(
                RecordRef("learning.course", row["course_id"], title),
                RecordRef("registry.worker", row["worker_id"], worker),
            ),
            message=message,
            severity=Severity.HIGH if amount else Severity.MEDIUM,
            money=amount,
            organisation_id=row["provider_id"],
            worker_id=row["worker_id"],
            town_id=row["town_id"],
            # The case is the learner on the course (one alert); its signals are its values, so a new
            # signal updates it and fires a dismissed one again.
            values=tuple(row["id"]),
        )


register_check(
    Check(
        id="SUP-LEARNING",
        title=_("在线学习刷课"),
        enforces=_(
            "线上培训应真实学习：进度快于真实时间、同时播放两节课、长时间连续播放无互动反复出现的，"
            "应核查是否刷课（D004 二(九)；审计署2022年度审计报告）"
        ),
        reads=("learning.signal", "learning.course", "training.settlementline"),
        run=find,
        clause="D004 二(九)",
    )
)
