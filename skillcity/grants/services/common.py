"""What the parts of the grants services share: the clock, the row lock, timeline events, the
reviewer checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import flows
from skillcity.grants.models import (
    Application,
    ApplicationEvent,
    ApplicationState,
)

S = ApplicationState


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("town").get(pk=application.pk)


def _refuse_state(app: Application, action: str) -> DomainError:
    return DomainError(
        "illegal_transition",
        _("申请当前状态为“%(s)s”，不能%(a)s") % {"s": app.get_state_display(), "a": action},
        {"state": app.state},
        status=409,
    )


def _event(
    app: Application,
    *,
    actor: Any,
    action: str,
    from_state: str,
    reason: str = "",
    amount: Decimal | None = None,
    stage: str = "",
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    ApplicationEvent.objects.create(
        application=app,
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "system"))[:150],
        action=action,
        from_state=from_state,
        to_state=app.state,
        reason=reason,
        amount=amount,
        stage=stage,
    )


def _event_and_audit(
    app: Application, *, actor: Any, action: str, audit_action: str, from_state: str, reason: str = ""
) -> None:
    """The tail every applicant's state change shares: the timeline event and the audit row with the
    states before and after."""
    _event(app, actor=actor, action=action, from_state=from_state, reason=reason)
    audit_record(
        actor=actor,
        action=audit_action,
        target=app,
        before={"state": from_state},
        after={"state": app.state},
    )


def _is_applicant(user: Any, app: Application) -> bool:
    if getattr(user, "role", None) == "organisation_user":
        return app.organisation_id is not None and app.organisation_id == user.organisation_id
    if getattr(user, "role", None) == "worker":
        return app.worker_id is not None and app.worker_id == user.worker_id
    return False


def current_stage(app: Application) -> flows.Stage | None:
    stages = flows.stages_for(app.rule_id)
    return stages[app.stage_index] if app.state == S.IN_REVIEW and app.stage_index < len(stages) else None


def _require_reviewer(user: Any, app: Application) -> flows.Stage:
    stage = current_stage(app)
    if stage is None:
        raise _refuse_state(app, _("审核"))
    if not flows.user_has_stage_role(user, stage.role):
        raise PermissionDenied(_("当前环节“%(n)s”不由您的角色审核") % {"n": stage.name})
    if stage.role == "town_officer" and user.town_id != app.town_id:
        raise PermissionDenied(_("只能审核本镇街的申请"))
    return stage


def _require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))
