"""Background jobs of the registry (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

from django_tasks import task

from skillcity.registry.models import Export


@task()
def export_run_task(export_id: int) -> str:
    from skillcity.registry.exports import export_run

    export = export_run(Export.objects.get(pk=export_id))
    return f"{export.rows_done} rows"
