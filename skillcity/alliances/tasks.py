"""Background jobs of the training alliances (django-tasks, database backend)."""

from __future__ import annotations

import datetime

from django_tasks import task

from skillcity.alliances.services import reminders_send


@task()
def alliance_reminders_task(on: str) -> int:
    """Record the day's half-year report reminders (idempotent per report and day)."""
    return len(reminders_send(actor="scheduler", on=datetime.date.fromisoformat(on)).created)
