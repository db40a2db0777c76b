"""What employment registers with other apps: its periodic pull and the EDU-GRAD-RETENTION facts."""

from __future__ import annotations

from skillcity.jobs.schedule import PeriodicJob, register_periodic_job

register_periodic_job(
    PeriodicJob(
        name="employment.contributions_pull",
        period="daily",
        task="skillcity.employment.tasks.contributions_pull_task",
        reason="每日从社保系统接口拉取新的缴费记录，记入就业记录台账（整页校验，有错误行则整页不写并留存错误，docs/employment.md）",
    )
)
