"""What supervision registers: its checks (one module each) and the nightly incremental run."""

from __future__ import annotations

from skillcity.jobs.schedule import PeriodicJob, register_periodic_job
from skillcity.supervision.checks import (  # noqa: F401  (checks A, issue 20 §1)
    frames,
    frames_a,
    sup_employment_claim,
    sup_ghost,
    sup_learning,
    sup_no_attendance,
    sup_threshold,
    sup_twice,
)

# Checks B (issue 20 §1): schedules, sign-in bursts, vouchers, assessments, and their tables.
from skillcity.supervision.checks import frames_b, sup_assessment, sup_burst, sup_schedule, sup_voucher  # noqa: F401  # isort: skip

register_periodic_job(
    PeriodicJob(
        name="supervision.nightly",
        period="daily",
        task="skillcity.supervision.tasks.supervise_task",
        reason="每晚对新增记录运行全部监管核查规则（增量），生成或更新预警（D004 二(九)，docs/supervision.md）",
    )
)
