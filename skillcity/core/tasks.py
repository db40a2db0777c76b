"""The core's background jobs (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

from django_tasks import task

from skillcity.core.audit import audit_seal


@task()
def audit_seal_task() -> str:
    """Seal the audit chain's head into the signed anchor (docs/operator-guide.md, "The audit log")."""
    anchor = audit_seal()
    return "empty" if anchor is None else f"sealed {anchor.seq}"
