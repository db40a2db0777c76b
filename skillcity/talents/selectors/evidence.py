"""Who may open an uploaded proof (Evidence) of a leading-talent or exceptional-promotion application.

The applicant (the worker, or a user of the unit that applied for them), the bureau, the panel
members the application was assigned to, and the grants reviewer of a home-purchase claim whose proof
it is. Anyone else is told the file does not exist (404), as for every record they may not see.
"""

from __future__ import annotations

from typing import Any

from skillcity.grants import flows
from skillcity.grants.models import Application, ApplicationState
from skillcity.talents.models.leading import Assignment, Evidence


def _is_bureau(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", "") == "bureau_officer"


def _reviews_home_purchase(user: Any, evidence: Evidence) -> bool:
    """A reviewer of a TAL-LEADING stage, for the proof a standing home-purchase claim names."""
    from skillcity.talents.services.leading import source_key

    app = evidence.leading
    assert app is not None
    grant = (
        Application.objects.filter(source_key=source_key(app, "home_purchase"))
        .exclude(state__in=(ApplicationState.WITHDRAWN, ApplicationState.REJECTED))
        .first()
    )
    if grant is None or evidence.sha256[:12] not in str((grant.fact_sources or {}).get("item", "")):
        return False
    return any(flows.user_has_stage_role(user, stage.role) for stage in flows.stages_for(grant.rule_id))


def may_open(user: Any, evidence: Evidence) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_bureau(user):
        return True
    worker_id = getattr(user, "worker_id", None)
    organisation_id = getattr(user, "organisation_id", None)
    if evidence.exceptional is not None:
        return worker_id is not None and evidence.exceptional.worker_id == worker_id
    app = evidence.leading
    assert app is not None
    if worker_id is not None and app.worker_id == worker_id:
        return True
    if organisation_id is not None and app.unit_id == organisation_id:
        return True
    if (
        worker_id is not None
        and Assignment.objects.filter(application=app, member__worker_id=worker_id).exists()
    ):
        return True
    return _reviews_home_purchase(user, evidence)


def evidence_for(user: Any, pk: int) -> Evidence | None:
    """The evidence `pk` when `user` may open it, else None."""
    evidence = Evidence.objects.select_related("leading", "exceptional").filter(pk=pk).first()
    if evidence is None or not may_open(user, evidence):
        return None
    return evidence
