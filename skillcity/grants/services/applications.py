"""Applications: create, update, evidence, submit, withdraw, staged review, return, reject."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.money import round_fen, to_decimal
from skillcity.core.uploads import check_upload_size
from skillcity.grants import flows, outcomes
from skillcity.grants.models import (
    Application,
    Evidence,
)
from skillcity.grants.services import common
from skillcity.grants.services.common import (
    S,
    _event,
    _event_and_audit,
    _is_applicant,
    _lock,
    _refuse_state,
    _require_reviewer,
)
from skillcity.notifications.services import application_notify
from skillcity.policy.display import reason_texts


def _merge_facts(
    rule_id: str, applicant: Any, event_date: datetime.date, facts: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    provided = flows.provided_facts(rule_id, applicant, event_date)
    merged = dict(facts)
    sources: dict[str, str] = {}
    for name, (value, provenance) in provided.items():
        merged[name] = value  # the platform's record wins over what the applicant typed
        sources[name] = provenance
    return merged, sources


@transaction.atomic
def application_create(
    *,
    actor: Any,
    rule_id: str,
    event_date: datetime.date,
    facts: dict[str, Any],
    requested_amount: Decimal | None = None,
) -> Application:
    """A draft by an organisation user (for their organisation) or a worker (for themselves)."""
    role = getattr(actor, "role", None)
    if role == "organisation_user" and actor.organisation_id:
        applicant: Any = actor.organisation
        scope: dict[str, Any] = {"organisation": applicant}
    elif role == "worker" and actor.worker_id:
        applicant = actor.worker
        scope = {"worker": applicant}
    else:
        raise PermissionDenied(_("只有单位用户或劳动者本人可以提出申请"))
    if not isinstance(facts, dict):
        raise DomainError("invalid_facts", _("申报事实格式不正确"), {"facts": _("必须是对象")})
    merged, sources = _merge_facts(rule_id, applicant, event_date, facts)
    outcome = outcomes.evaluate(rule_id, event_date, merged)
    app = Application.objects.create(
        rule_id=rule_id,
        town=applicant.town,
        event_date=event_date,
        facts=merged,
        fact_sources=sources,
        outcome=outcome,
        requested_amount=round_fen(requested_amount) if requested_amount is not None else None,
        created_by=actor,
        **scope,
    )
    _event(app, actor=actor, action="create", from_state="")
    audit_record(actor=actor, action="grants.application.create", target=app, after=snapshot(app))
    return app


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor: Any,
    facts: dict[str, Any],
    event_date: datetime.date | None = None,
    requested_amount: Decimal | None = None,
) -> Application:
    app = _lock(application)
    if not _is_applicant(actor, app):
        raise PermissionDenied(_("只有申请人可以修改申请"))
    if app.state not in (S.DRAFT, S.RETURNED):
        raise _refuse_state(app, _("修改"))
    before = snapshot(app)
    if event_date is not None:
        app.event_date = event_date
    merged, sources = _merge_facts(app.rule_id, app.applicant, app.event_date, facts)
    app.facts, app.fact_sources = merged, sources
    app.outcome = outcomes.evaluate(app.rule_id, app.event_date, merged)
    app.requested_amount = round_fen(requested_amount) if requested_amount is not None else None
    app.save(update_fields=["event_date", "facts", "fact_sources", "outcome", "requested_amount"])
    audit_record(
        actor=actor, action="grants.application.update", target=app, before=before, after=snapshot(app)
    )
    return app


@transaction.atomic
def evidence_add(*, application: Application, actor: Any, upload: UploadedFile) -> Evidence:
    app = _lock(application)
    if not _is_applicant(actor, app):
        raise PermissionDenied(_("只有申请人可以上传证明材料"))
    if app.state not in (S.DRAFT, S.RETURNED):
        raise _refuse_state(app, _("上传材料"))
    check_upload_size(upload, field="evidence", label=_("证明材料"))
    if not upload.size:
        raise DomainError("bad_file", _("证明材料是空文件"), {"evidence": _("空文件")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence.objects.create(
        application=app,
        file=upload,
        name=(upload.name or "file")[:200],
        sha256=digest.hexdigest(),
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(actor=actor, action="grants.evidence.add", target=app, after={"sha256": evidence.sha256})
    return evidence


@transaction.atomic
def application_submit(*, application: Application, actor: Any) -> Application:
    """Draft or returned → in review at the first stage; the outcome is re-evaluated and stored."""
    app = _lock(application)
    if not _is_applicant(actor, app):
        raise PermissionDenied(_("只有申请人可以提交申请"))
    if app.state not in (S.DRAFT, S.RETURNED):
        raise _refuse_state(app, _("提交"))
    before = app.state
    app.outcome = outcomes.evaluate(app.rule_id, app.event_date, app.facts)
    if not app.outcome.get("eligible"):
        raise DomainError(
            "not_eligible",
            # The reasons in the applicant's language (policy.display), joined as that language joins them.
            _("测算结果为不符合条件，不能提交：%(r)s") % {"r": _("；").join(reason_texts(app.outcome))},
        )
    stage = flows.stages_for(app.rule_id)[0]
    app.state, app.stage_index = S.IN_REVIEW, 0
    app.stage_due = flows.add_working_days(common._today(), stage.due_days)
    app.submitted_at = timezone.now()
    app.save(update_fields=["outcome", "state", "stage_index", "stage_due", "submitted_at"])
    _event_and_audit(
        app,
        actor=actor,
        action="resubmit" if before == S.RETURNED else "submit",
        audit_action="grants.application.submit",
        from_state=before,
    )
    return app


@transaction.atomic
def application_withdraw(*, application: Application, actor: Any, reason: str = "") -> Application:
    app = _lock(application)
    if not _is_applicant(actor, app):
        raise PermissionDenied(_("只有申请人可以撤回申请"))
    if app.state not in (S.DRAFT, S.IN_REVIEW, S.RETURNED, S.REVIEWED):
        raise _refuse_state(app, _("撤回"))
    before = app.state
    app.state = S.WITHDRAWN
    app.save(update_fields=["state"])
    _event_and_audit(
        app,
        actor=actor,
        action="withdraw",
        audit_action="grants.application.withdraw",
        from_state=before,
        reason=reason,
    )
    return app


@transaction.atomic
def application_review_pass(
    *, application: Application, actor: Any, amount: Decimal | None = None, reason: str = ""
) -> Application:
    """The current stage passes; past the last stage the application awaits its public notice.
    A reviewer may propose the amount here; it is checked against the engine's bounds."""
    app = _lock(application)
    stage = _require_reviewer(actor, app)
    before = app.state
    if amount is not None:
        amount = round_fen(to_decimal(amount))
        outcomes.check_amount(app.outcome, amount, reason)
        app.decided_amount, app.decision_reason = amount, reason
    stages = flows.stages_for(app.rule_id)
    if app.stage_index + 1 < len(stages):
        app.stage_index += 1
        app.stage_due = flows.add_working_days(common._today(), stages[app.stage_index].due_days)
    else:
        app.state, app.stage_due = S.REVIEWED, None
    app.save(update_fields=["state", "stage_index", "stage_due", "decided_amount", "decision_reason"])
    _event(
        app,
        actor=actor,
        action="review_pass",
        from_state=before,
        reason=reason,
        amount=amount,
        stage=stage.name,
    )
    audit_record(
        actor=actor,
        action="grants.application.review_pass",
        target=app,
        after={"stage": stage.name, "amount": amount},
    )
    return app


@transaction.atomic
def application_return(*, application: Application, actor: Any, reason: str) -> Application:
    app = _lock(application)
    stage = _require_reviewer(actor, app)
    if not reason.strip():
        raise DomainError("reason_required", _("退回修改必须写明原因"), {"reason": _("必须填写")})
    app.state, app.stage_index, app.stage_due = S.RETURNED, 0, None
    app.save(update_fields=["state", "stage_index", "stage_due"])
    _event(app, actor=actor, action="return", from_state=S.IN_REVIEW, reason=reason, stage=stage.name)
    audit_record(actor=actor, action="grants.application.return", target=app, after={"reason": reason})
    application_notify(application=app, event="returned", reason=reason)
    return app


@transaction.atomic
def application_reject(*, application: Application, actor: Any, reason: str) -> Application:
    app = _lock(application)
    stage = _require_reviewer(actor, app)
    if not reason.strip():
        raise DomainError("reason_required", _("不予通过必须写明理由"), {"reason": _("必须填写")})
    app.state, app.stage_due = S.REJECTED, None
    app.save(update_fields=["state", "stage_due"])
    _event(app, actor=actor, action="reject", from_state=S.IN_REVIEW, reason=reason, stage=stage.name)
    audit_record(actor=actor, action="grants.application.reject", target=app, after={"reason": reason})
    return app
