"""The jobs app's own periodic work."""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks import task


@task()
def task_results_prune_task() -> str:
    """Finished background-task rows older than 14 days go (django-tasks-db keeps them otherwise)."""
    out = io.StringIO()
    call_command("prune_db_task_results", min_age_days=14, stdout=out)
    return out.getvalue().strip()
