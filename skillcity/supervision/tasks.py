"""Supervision's periodic work: the nightly incremental run (registered in registrations.py)."""

from __future__ import annotations

from django_tasks import task

from skillcity.supervision.services import supervise


@task()
def supervise_task() -> str:
    run = supervise()
    return f"run {run.pk}: " + ", ".join(f"{k} {v['raised']}+{v['refired']}" for k, v in run.counts.items())


@task()
def supervise_full_task(actor_id: int | None = None) -> str:
    """A full run asked for from the runs page or the API (services/requests.py)."""
    from skillcity.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = supervise(full=True, actor=actor)
    return f"run {run.pk}: full"
