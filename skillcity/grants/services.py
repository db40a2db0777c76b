"""Every write of the grants workflow: one transaction, the application row locked, an audit row and a
timeline event each. Illegal transitions are refused with a DomainError naming the current state."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import can_write
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from skillcity.core.money import round_fen, to_decimal
from skillcity.core.uploads import check_upload_size
from skillcity.grants import flows, objections, outcomes
from skillcity.grants.models import (
    OBJECTION_TEXT_MAX,
    Application,
    ApplicationEvent,
    ApplicationState,
    Evidence,
    Fund,
    FundEntry,
    Objection,
    Payment,
    PublicNotice,
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
            _("测算结果为不符合条件，不能提交：%(r)s") % {"r": "；".join(app.outcome.get("reasons") or [])},
        )
    stage = flows.stages_for(app.rule_id)[0]
    app.state, app.stage_index = S.IN_REVIEW, 0
    app.stage_due = flows.add_working_days(_today(), stage.due_days)
    app.submitted_at = timezone.now()
    app.save(update_fields=["outcome", "state", "stage_index", "stage_due", "submitted_at"])
    _event(app, actor=actor, action="resubmit" if before == S.RETURNED else "submit", from_state=before)
    audit_record(
        actor=actor,
        action="grants.application.submit",
        target=app,
        before={"state": before},
        after={"state": app.state},
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
    _event(app, actor=actor, action="withdraw", from_state=before, reason=reason)
    audit_record(
        actor=actor,
        action="grants.application.withdraw",
        target=app,
        before={"state": before},
        after={"state": app.state},
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
        app.stage_due = flows.add_working_days(_today(), stages[app.stage_index].due_days)
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


def _require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


@transaction.atomic
def notice_start(
    *,
    application: Application,
    actor: Any,
    start: datetime.date | None = None,
    working_days: int | None = None,
) -> PublicNotice:
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.REVIEWED:
        raise _refuse_state(app, _("公示"))
    days = working_days if working_days is not None else flows.notice_working_days()
    if days < 1:
        raise DomainError("bad_notice_days", _("公示期至少1个工作日"), {"working_days": _("至少1个工作日")})
    begin = start or _today()
    notice = PublicNotice.objects.create(
        application=app,
        start=begin,
        end=flows.add_working_days(begin, days),
        working_days=days,
        created_by=actor,
    )
    app.state = S.IN_NOTICE
    app.save(update_fields=["state"])
    _event(
        app, actor=actor, action="notice_start", from_state=S.REVIEWED, reason=f"{notice.start}~{notice.end}"
    )
    audit_record(
        actor=actor,
        action="grants.notice.start",
        target=app,
        after={"start": notice.start, "end": notice.end},
    )
    return notice


@transaction.atomic
def objection_lodge(
    *, notice: PublicNotice, actor: Any, text: str, contact: str = "", address: str = ""
) -> Objection:
    """Anyone logged in, or the public leaving a contact, may object while the notice runs; the
    objection is bounded, rate-limited (skillcity.grants.objections) and given a receipt number."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    app = _lock(notice.application)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if app.state != S.IN_NOTICE or _today() > notice.end:
        raise DomainError("notice_closed", _("该公示已结束，不能再提出异议"), status=409)
    objections.objection_fields_check(text=text, contact=contact)
    if not text.strip():
        raise DomainError("text_required", _("请填写异议内容"), {"text": _("必须填写")})
    if user is None and not contact.strip():
        raise DomainError("contact_required", _("未登录提出异议须留下联系方式"), {"contact": _("必须填写")})
    address = address[:64]
    objections.objection_rate_check(notice=notice, address=address, anonymous=user is None)
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a receipt drawn twice is drawn again
                objection = Objection.objects.create(
                    notice=notice,
                    receipt=objections.receipt_new(),
                    lodged_by=user,
                    address=address,
                    contact=contact,
                    text=text,
                )
            break
        except IntegrityError:
            continue
    else:
        raise Conflict("receipt_exhausted", _("暂时无法生成回执编号，请稍后再试"))
    _event(app, actor=actor or "public", action="objection_lodge", from_state=app.state, reason=text)
    audit_record(
        actor=actor or "public",
        action="grants.objection.lodge",
        target=app,
        after={"objection": objection.pk, "receipt": objection.receipt, "address": address},
    )
    return objection


def _objection_close(
    objection: Objection, *, actor: Any, state: str, resolution: str
) -> tuple[Objection, Application]:
    """Lock an open objection and its application, and close it as `state` (not yet audited)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    app = _lock(objection.notice.application)
    if objection.resolved_at is not None:
        raise DomainError(
            "already_resolved",
            _("异议 %(r)s 已处理（%(s)s）") % {"r": objection.receipt, "s": objection.get_state_display()},
            status=409,
        )
    objection.state, objection.resolution = state, resolution
    objection.upheld = state == Objection.State.UPHELD
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save(update_fields=["state", "resolution", "upheld", "resolved_by", "resolved_at"])
    return objection, app


@transaction.atomic
def objection_resolve(*, objection: Objection, actor: Any, resolution: str, upheld: bool) -> Objection:
    """An upheld objection rejects the application; a dismissed one lets approval go ahead."""
    _require_bureau(actor)
    if not resolution.strip():
        raise DomainError("resolution_required", _("请填写处理意见"), {"resolution": _("必须填写")})
    state = Objection.State.UPHELD if upheld else Objection.State.DISMISSED
    objection, app = _objection_close(objection, actor=actor, state=state, resolution=resolution)
    before = app.state
    if upheld and app.state == S.IN_NOTICE:
        app.state = S.REJECTED
        app.save(update_fields=["state"])
    _event(app, actor=actor, action="objection_resolve", from_state=before, reason=resolution)
    audit_record(
        actor=actor,
        action="grants.objection.resolve",
        target=app,
        after={"objection": objection.pk, "receipt": objection.receipt, "upheld": upheld},
    )
    return objection


OBJECTION_BULK_MAX = 500


@transaction.atomic
def objections_dismiss_as_spam(*, ids: list[int], actor: Any, reason: str) -> list[Objection]:
    """Dismiss many open objections at once as spam, with one reason: each gets its own audit row.

    All or nothing: an unknown or already resolved objection refuses the whole batch (naming it),
    so a reviewer never has to work out which half went through.
    """
    _require_bureau(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("请填写驳回理由"), {"reason": _("必须填写")}, status=422)
    if len(reason) > OBJECTION_TEXT_MAX:
        raise DomainError(
            "too_long",
            _("驳回理由不能超过%(n)s个字") % {"n": OBJECTION_TEXT_MAX},
            {"reason": _("不能超过%(n)s个字") % {"n": OBJECTION_TEXT_MAX}},
            status=422,
        )
    wanted = sorted(set(ids))
    if not wanted:
        raise DomainError("ids_required", _("请选择要驳回的异议"), {"ids": _("至少选择一项")}, status=422)
    if len(wanted) > OBJECTION_BULK_MAX:
        raise DomainError(
            "too_many",
            _("一次最多驳回%(n)s条异议") % {"n": OBJECTION_BULK_MAX},
            {"ids": _("一次最多%(n)s条") % {"n": OBJECTION_BULK_MAX}},
            status=422,
        )
    found = {o.pk: o for o in Objection.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(_("异议不存在：%(ids)s") % {"ids": "、".join(f"#{pk}" for pk in missing)})
    dismissed = []
    for pk in wanted:
        objection, app = _objection_close(
            found[pk], actor=actor, state=Objection.State.SPAM, resolution=reason
        )
        _event(app, actor=actor, action="objection_dismiss_spam", from_state=app.state, reason=reason)
        audit_record(
            actor=actor,
            action="grants.objection.dismiss_spam",
            target=app,
            after={"objection": objection.pk, "receipt": objection.receipt, "reason": reason},
        )
        dismissed.append(objection)
    return dismissed


def funds_covering(programme: str, first: int, last: int) -> Any:
    """The programme's funds whose years meet [first, last]."""
    single = Q(last_year__isnull=True, year__gte=first, year__lte=last)
    span = Q(last_year__isnull=False, year__lte=last, last_year__gte=first)
    return Fund.objects.filter(single | span, programme=programme)


def fund_for(app: Application) -> Fund | None:
    """The budget an approval draws on: the programme's fund covering the event's year."""
    year = app.event_date.year
    return funds_covering(app.rule_id, year, year).order_by("year").first()


@transaction.atomic
def application_approve(
    *,
    application: Application,
    actor: Any,
    amount: Decimal | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Application:
    """After the notice has ended with no unresolved objection: fix the amount within the engine's
    bounds and commit it against the programme's fund for the year (if one is set)."""
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.IN_NOTICE:
        raise _refuse_state(app, _("核准"))
    notice = app.notice
    day = today or _today()
    if day <= notice.end:
        raise DomainError(
            "notice_running", _("公示期至 %(d)s 止，公示期满后方可核准") % {"d": notice.end}, status=409
        )
    if notice.objections.filter(resolved_at__isnull=True).exists():
        raise DomainError("objection_unresolved", _("存在未处理的异议，处理完毕后方可核准"), status=409)
    if amount is None:
        amount = app.decided_amount or outcomes.default_amount(app.outcome)
    if amount is None:
        raise DomainError("amount_required", _("请填写核定金额"), {"amount": _("必须填写")})
    amount = round_fen(to_decimal(amount))
    reason = reason or app.decision_reason
    outcomes.check_amount(app.outcome, amount, reason)
    fund = fund_for(app)
    if fund is not None:
        # Lock the fund: two approvals racing for the last of a budget must not both pass.
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        remaining = fund.balances()["remaining"]
        if amount > remaining:
            raise DomainError(
                "budget_exceeded",
                _("“%(f)s”剩余预算 %(r)s 元，不足以核准 %(a)s 元") % {"f": fund, "r": remaining, "a": amount},
                {"amount": _("超过剩余预算")},
                status=409,
            )
        FundEntry.objects.create(fund=fund, application=app, kind=FundEntry.Kind.COMMITMENT, amount=amount)
    app.state, app.decided_amount, app.decision_reason = S.APPROVED, amount, reason
    app.save(update_fields=["state", "decided_amount", "decision_reason"])
    _event(app, actor=actor, action="approve", from_state=S.IN_NOTICE, reason=reason, amount=amount)
    audit_record(actor=actor, action="grants.application.approve", target=app, after={"amount": amount})
    return app


@transaction.atomic
def application_cancel_approval(*, application: Application, actor: Any, reason: str) -> Application:
    """An approved but unpaid entitlement is cancelled; its commitment is released."""
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.APPROVED:
        raise _refuse_state(app, _("撤销核准"))
    if not reason.strip():
        raise DomainError("reason_required", _("撤销核准必须写明理由"), {"reason": _("必须填写")})
    commitment = app.fund_entries.filter(kind=FundEntry.Kind.COMMITMENT).first()
    if commitment is not None:
        FundEntry.objects.create(
            fund=commitment.fund, application=app, kind=FundEntry.Kind.RELEASE, amount=commitment.amount
        )
    app.state = S.REJECTED
    app.save(update_fields=["state"])
    _event(app, actor=actor, action="cancel_approval", from_state=S.APPROVED, reason=reason)
    audit_record(
        actor=actor, action="grants.application.cancel_approval", target=app, after={"reason": reason}
    )
    return app


def _payment_replay(key: str, app: Application) -> Payment | None:
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.application_id != app.pk:
        raise Conflict("idempotency_key_reused", _("该幂等键已用于另一笔拨付"))
    return existing


def payment_make(*, application: Application, actor: Any, idempotency_key: str) -> Payment:
    """Pay an approved entitlement exactly once. Replaying the same key returns the first payment."""
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以拨付"))
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise DomainError(
            "idempotency_key_required",
            _("拨付请求必须带幂等键（1–128字符）"),
            {"idempotency_key": _("必须填写")},
        )
    try:
        return _payment_make(application=application, actor=actor, key=key)
    except IntegrityError:
        # A concurrent request with the same key won the insert: answer with its payment.
        replay = _payment_replay(key, application)
        if replay is not None:
            return replay
        raise Conflict("already_paid", _("该申请已拨付，不能重复拨付")) from None


@transaction.atomic
def _payment_make(*, application: Application, actor: Any, key: str) -> Payment:
    app = _lock(application)
    replay = _payment_replay(key, app)
    if replay is not None:
        return replay
    if app.state == S.PAID:
        raise Conflict("already_paid", _("该申请已拨付，不能重复拨付"))
    if app.state != S.APPROVED or app.decided_amount is None:
        raise _refuse_state(app, _("拨付"))
    payment = Payment.objects.create(
        application=app, amount=app.decided_amount, idempotency_key=key, paid_by=actor
    )
    commitment = app.fund_entries.filter(kind=FundEntry.Kind.COMMITMENT).first()
    if commitment is not None:
        FundEntry.objects.create(
            fund=commitment.fund, application=app, kind=FundEntry.Kind.RELEASE, amount=commitment.amount
        )
        FundEntry.objects.create(
            fund=commitment.fund, application=app, kind=FundEntry.Kind.SPEND, amount=payment.amount
        )
    app.state = S.PAID
    app.save(update_fields=["state"])
    _event(app, actor=actor, action="pay", from_state=S.APPROVED, amount=payment.amount)
    audit_record(
        actor=actor, action="grants.payment.make", target=app, after={"amount": payment.amount, "key": key}
    )
    return payment


@transaction.atomic
def fund_create(
    *,
    actor: Any,
    programme: str,
    year: int,
    name: str,
    total: Decimal,
    last_year: int | None = None,
    source: str = "",
) -> Fund:
    """A budget for one year, or for `year`–`last_year`; no two budgets of a programme share a year."""
    _require_bureau(actor)
    total = round_fen(to_decimal(total, field="total"))
    if total < 0:
        raise DomainError("bad_total", _("预算总额不能为负"), {"total": _("不能为负")})
    if last_year is not None and last_year < year:
        raise DomainError("bad_years", _("截止年度不能早于起始年度"), {"last_year": _("不能早于起始年度")})
    if funds_covering(programme, year, last_year or year).exists():
        raise Conflict("fund_exists", _("%(p)s 的 %(y)s 年度资金已存在") % {"p": programme, "y": year})
    fund = Fund.objects.create(
        programme=programme, year=year, last_year=last_year, name=name, total=total, source=source
    )
    audit_record(actor=actor, action="grants.fund.create", target=fund, after=snapshot(fund))
    return fund


def fund_from_policy(*, actor: Any, programme: str, parameter: str, name: str) -> Fund | None:
    """The budget a policy document sets (a parameter of the engine, e.g. EDU-BASE.fund), as the fund the
    approvals of `programme` draw on, cited to its clause; None when such a fund already exists."""
    from skillcity.policy import params as P

    version = P.parameters()[parameter].versions[-1]
    first = version.effective_from.year
    last = version.effective_to.year if version.effective_to else first
    if funds_covering(programme, first, last).exists():
        return None
    return fund_create(
        actor=actor,
        programme=programme,
        year=first,
        last_year=last,
        name=name,
        total=version.value,
        source=f"{version.document} {version.clause}",
    )


__all__ = ["can_write"]
