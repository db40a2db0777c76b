"""SUP-NO-ATTENDANCE — completed without attending (issue 20 §1): an enrolment marked completed, or
settled, with attendance below what the class requires.

The training app records attendance as one sign-in a day (training.Attendance) and sets no required
hours, and a class does not meet every calendar day (weekends, evening classes). So the requirement
here is a share (REQUIRED_PERCENT, rounded up) of the days the class met — the distinct days on which
any of its trainees signed in; a class in which nobody ever signed in is held to its calendar days.
The platform's reading, said so in the message and docs.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.utils.translation import gettext_lazy as _

from skillcity.supervision.checks import Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.common_a import as_naive, dated_on_or_after, is_new, money, yuan
from skillcity.supervision.checks.frames_a import worker_labels
from skillcity.supervision.models import Severity

# The documents set no attendance share; 80% of the class days is the platform's choice (to be set by
# the bureau), kept here in one place.
REQUIRED_PERCENT = 80


def find(ctx: Context) -> Iterable[Finding]:
    lines = as_naive(ctx.frame("settlement_lines"), "created_at")
    settled = lines.group_by("enrolment_id").agg(
        pl.col("amount").sum().alias("money"), pl.col("created_at").max().alias("line_created")
    )
    attendance = as_naive(ctx.frame("attendance_days"), "last_signed")
    classes = ctx.frame("classes").select(
        pl.col("id").alias("class_id"), pl.col("name").alias("class_name"), "start_date", "end_date"
    )
    # The days each class met: the distinct days any of its trainees signed in.
    met = ctx.frame("attendance").group_by("class_id").agg(pl.col("day").n_unique().alias("met_days"))
    frame = (
        ctx.frame("enrolments")
        .join(settled, left_on="id", right_on="enrolment_id", how="left")
        .filter((pl.col("status") == "completed") | pl.col("money").is_not_null())
        .join(classes, on="class_id", how="inner")
        .join(attendance, left_on="id", right_on="enrolment_id", how="left")
        .join(met, on="class_id", how="left")
        .with_columns(
            pl.when(pl.col("met_days").fill_null(0) > 0)
            .then(pl.col("met_days"))
            .otherwise((pl.col("end_date") - pl.col("start_date")).dt.total_days() + 1)
            .alias("class_days"),
            pl.col("days").fill_null(0).alias("attended"),
        )
        # Rounded up in whole days: ceil(days × percent / 100) in integers.
        .with_columns(((pl.col("class_days") * REQUIRED_PERCENT + 99) // 100).alias("required"))
        .filter(pl.col("attended") < pl.col("required"))
        .filter(
            dated_on_or_after(ctx, pl.col("completed_on"))
            | is_new(ctx, pl.col("last_signed").cast(pl.Datetime))
            | is_new(ctx, pl.col("line_created").cast(pl.Datetime))
        )
    )
    names = worker_labels(frame["worker_id"].to_list())
    for row in frame.iter_rows(named=True):
        amount = money(row["money"])
        worker = names.get(row["worker_id"], "")
        how = "却已标记结业" if row["status"] == "completed" else "未结业"
        if row["money"] is not None:
            how += f"并已结算补贴{yuan(amount)}元"
        yield Finding(
            records=(
                RecordRef("training.enrolment", row["id"], f"报名 #{row['id']}"),
                RecordRef("training.trainingclass", row["class_id"], row["class_name"]),
                RecordRef("registry.worker", row["worker_id"], worker),
            ),
            message=(
                f"学员{worker}在“{row['class_name']}”（{row['start_date']}至{row['end_date']}，"
                f"开班{row['class_days']}天）仅签到{row['attended']}天，低于按{REQUIRED_PERCENT}%出勤"
                f"要求的{row['required']}天，{how}"
            ),
            severity=Severity.HIGH if row["attended"] * 2 < row["required"] else Severity.MEDIUM,
            money=amount,
            organisation_id=row["provider_id"],
            worker_id=row["worker_id"],
            town_id=row["town_id"],
            values=(row["attended"], row["class_days"], row["status"], str(row["completed_on"])),
        )


register_check(
    Check(
        id="SUP-NO-ATTENDANCE",
        title=_("未参训即结业或结算"),
        enforces=_(
            "结业或结算补贴的学员应达到培训班规定的出勤要求（平台取开班至结业天数的80%）；"
            "完善培训评价的真实性和有效性监管（D004 二(九)）"
        ),
        reads=(
            "training.enrolment",
            "training.trainingclass",
            "training.attendance",
            "training.settlementline",
        ),
        run=find,
        clause="D004 二(九)",
    )
)
