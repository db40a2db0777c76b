"""A full run asked for from the page or the API (issue 20 §3): queued for the task worker, so the
request returns at once and the runs page shows its state (排队中, then the run itself)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record
from skillcity.supervision.selectors import full_run_requests


def full_run_request(*, actor: Any) -> bool:
    """Queue a full run (the bureau only); False when one is already queued or running."""
    from skillcity.supervision.tasks import supervise_full_task

    require_role(actor, "bureau_officer")
    with transaction.atomic():
        if full_run_requests():
            return False
        audit_record(
            actor=actor,
            action="supervision.run.request",
            target_type="supervision.run",
            target_id=0,
            target_label=_("全量核查"),
            after={"full": True},
        )
        transaction.on_commit(lambda: supervise_full_task.enqueue(actor.pk))
    return True
