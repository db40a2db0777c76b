"""The core's background jobs (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

from django_tasks import task

from skillcity.core.audit import audit_seal


@task()
def audit_seal_task() -> str:
    """Seal the audit chain's head into the signed anchor (docs/operator-guide.md, "The audit log")."""
    anchor = audit_seal()
    return "empty" if anchor is None else f"sealed {anchor.seq}"


@task()
def export_run_task(export_id: int) -> str:
    """Build a background export's file (skillcity.core.exports)."""
    from skillcity.core.exports import export_run
    from skillcity.core.models import Export

    export = export_run(Export.objects.get(pk=export_id))
    return f"{export.rows_done} rows"
