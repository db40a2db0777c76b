"""The periodic jobs and the scheduler that enqueues them (django-tasks, database backend).

`PERIODIC_JOBS` is the registry table: one `PeriodicJob` per job, with its period, the task it
enqueues and why it runs (the clause or the reason). Programmes add theirs with
`register_periodic_job` from their AppConfig.ready().

`tick(now)` enqueues each job whose current period has not fired yet, and records the firing as a
`ScheduledRun` row in the same transaction; the row is unique per (job, period), so two schedulers
(two machines, or a restart within a period) enqueue each job exactly once per period. A period
that passed while no scheduler ran fires when one starts again (the jobs catch up: expiry "as of
today" expires everything that ended before today).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from skillcity.jobs.models import ScheduledRun

log = logging.getLogger("skillcity.jobs")


@dataclass(frozen=True)
class Period:
    """A kind of period: its key for a local time, and the arguments a job gets for it."""

    name: str
    label: str
    key: Callable[[datetime.datetime], str]


PERIODS: dict[str, Period] = {
    p.name: p
    for p in (
        Period("daily", "每日", lambda now: now.date().isoformat()),
        Period("hourly", "每小时", lambda now: now.strftime("%Y-%m-%dT%H")),
        # Folding the learning log into progress (issue 18): a run per minute keeps each run small.
        Period("minutely", "每分钟", lambda now: now.strftime("%Y-%m-%dT%H:%M")),
    )
}


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    period: str  # a key of PERIODS
    task: str  # dotted path of a django-tasks Task
    reason: str  # the clause it carries out, or why it runs
    arguments: Callable[[datetime.datetime], tuple[Any, ...]] = lambda now: ()


PERIODIC_JOBS: dict[str, PeriodicJob] = {}


def register_periodic_job(job: PeriodicJob) -> None:
    if job.period not in PERIODS:
        raise ValueError(f"{job.name}: unknown period {job.period!r} (one of {sorted(PERIODS)})")
    PERIODIC_JOBS[job.name] = job


def the_day(now: datetime.datetime) -> tuple[Any, ...]:
    """A daily job's argument: the local day it runs for, as YYYY-MM-DD."""
    return (now.date().isoformat(),)


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job due in its current period that no scheduler has enqueued yet; the names."""
    now = timezone.localtime(now)
    fired = []
    table = ScheduledRun._meta.db_table
    for job in PERIODIC_JOBS.values():
        period = PERIODS[job.period].key(now)
        with transaction.atomic(), connection.cursor() as cursor:
            # The unique (job, period) decides which scheduler fires: the others insert nothing.
            cursor.execute(
                f"INSERT INTO {table} (job, period, task_id, enqueued_at) VALUES (%s, %s, '', %s) "
                "ON CONFLICT (job, period) DO NOTHING",
                [job.name, period, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            if cursor.rowcount != 1:
                continue
            result = import_string(job.task).enqueue(*job.arguments(now))
            ScheduledRun.objects.filter(job=job.name, period=period).update(task_id=str(result.id))
        log.info("scheduled %s for %s (task %s)", job.name, period, result.id)
        fired.append(job.name)
    return fired
