"""Supervision's periodic work: the nightly incremental run (registered in registrations.py)."""

from __future__ import annotations

from django_tasks import task

from skillcity.supervision.services import supervise


@task()
def supervise_task() -> str:
    run = supervise()
    return f"run {run.pk}: " + ", ".join(f"{k} {v['raised']}+{v['refired']}" for k, v in run.counts.items())
