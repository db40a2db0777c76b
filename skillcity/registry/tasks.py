"""Background jobs of the registry: its exports are now core's (skillcity.core.tasks.export_run_task);
this name stays for jobs queued before the move."""

from __future__ import annotations

from django_tasks import task


@task()
def export_run_task(export_id: int) -> str:
    from skillcity.core.exports import export_run
    from skillcity.core.models import Export

    export = export_run(Export.objects.get(pk=export_id))
    return f"{export.rows_done} rows"
