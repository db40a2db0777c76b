"""Exceptional promotion (破格/越级晋升, D002 item 26): a worker states the grounds with evidence; the bureau
reviews; the admitted worker is added to a promotion session above their current level through
certification's own `candidate_add` (which lets the exceptional grounds replace the step-by-step rule), and
the candidate — hence the certificate — records that it was exceptional and on what grounds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.certification import services as certification
from skillcity.certification.models import Certificate, ExceptionalGrounds, Session
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import flows
from skillcity.registry.models import Occupation, SkillRecord, Worker
from skillcity.talents.models.leading import ExceptionalApplication, ExceptionalState
from skillcity.talents.services.leading import EVIDENCE_MAX, _evidence_save

STATEMENT_MAX = 1000


def held_level(worker: Worker, occupation: Occupation) -> int | None:
    """The best valid level the worker holds in the occupation (1 = 高级技师), or None."""
    levels = (
        SkillRecord.objects.filter(worker=worker, kind=SkillRecord.Kind.SKILL_LEVEL, occupation=occupation)
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .values_list("level", flat=True)
    )
    return min((lv for lv in levels if lv is not None), default=None)


@transaction.atomic
def exceptional_apply(
    *,
    actor: Any,
    occupation: Occupation,
    target_level: int,
    grounds: str,
    statement: str,
    uploads: Iterable[UploadedFile] = (),
) -> ExceptionalApplication:
    if getattr(actor, "role", "") != "worker" or not actor.worker_id:
        raise PermissionDenied(_("只有劳动者本人可以申请破格晋升"))
    worker = actor.worker
    errors: dict[str, str] = {}
    if grounds not in ExceptionalGrounds.values:
        errors["grounds"] = _("请选择破格依据")
    statement = (statement or "").strip()
    if not statement or len(statement) > STATEMENT_MAX:
        errors["statement"] = _("请填写事实陈述（1000字以内）")
    current = held_level(worker, occupation)
    if target_level not in (1, 2, 3, 4):
        errors["target_level"] = _("申请晋升等级应为一级至四级")
    elif current is not None and target_level >= current:
        errors["target_level"] = _("申请晋升等级须高于现持有等级")
    uploads = list(uploads)
    if not uploads:
        errors["evidence"] = _("请上传证明材料")
    elif len(uploads) > EVIDENCE_MAX:
        errors["evidence"] = _("证明材料最多10个文件")
    if errors:
        raise DomainError("invalid", _("破格晋升申请有误"), errors)
    app = ExceptionalApplication.objects.create(
        worker=worker,
        occupation=occupation,
        current_level=current,
        target_level=target_level,
        grounds=grounds,
        statement=statement,
        created_by=actor,
    )
    _evidence_save(uploads, actor, exceptional=app)
    audit_record(actor=actor, action="talents.exceptional.apply", target=app, after=snapshot(app))
    return app


def _lock(app: ExceptionalApplication) -> ExceptionalApplication:
    return (
        ExceptionalApplication.objects.select_for_update()
        .select_related("worker", "occupation")
        .get(pk=app.pk)
    )


def _require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


@transaction.atomic
def exceptional_review(
    *, actor: Any, application: ExceptionalApplication, admit: bool, note: str
) -> ExceptionalApplication:
    _require_bureau(actor)
    app = _lock(application)
    if app.state != ExceptionalState.SUBMITTED:
        raise DomainError("illegal_transition", _("该申请已审核"), status=409)
    note = (note or "").strip()[:500]
    if not note:
        raise DomainError("reason_required", _("请填写审核意见"), {"note": _("必须填写")})
    app.state = ExceptionalState.ADMITTED if admit else ExceptionalState.REFUSED
    app.review_note, app.reviewed_by = note, actor
    app.save(update_fields=["state", "review_note", "reviewed_by"])
    audit_record(
        actor=actor, action="talents.exceptional.review", target=app, after={"state": app.state, "note": note}
    )
    return app


def exceptional_note(app: ExceptionalApplication) -> str:
    return (_("破格晋升申请第%(n)s号：") % {"n": app.pk} + app.statement)[:500]


@transaction.atomic
def exceptional_place(
    *, actor: Any, application: ExceptionalApplication, session: Session
) -> ExceptionalApplication:
    """Into a promotion session of the occupation at the level applied for (above the current one);
    certification's candidate_add applies its own checks with the grounds."""
    _require_bureau(actor)
    app = _lock(application)
    if app.state != ExceptionalState.ADMITTED:
        raise DomainError("illegal_transition", _("申请未审核通过或已安排考评"), status=409)
    errors: dict[str, str] = {}
    if session.kind != Session.Kind.PROMOTION:
        errors["session"] = _("破格只能安排到晋级考评批次")
    elif session.occupation_id != app.occupation_id:
        errors["session"] = _("考评批次的职业与申请不一致")
    elif session.level != app.target_level:
        errors["session"] = _("考评批次的等级与申请晋升等级不一致")
    if errors:
        raise DomainError("bad_session", errors["session"], errors)
    candidate = certification.candidate_add(
        session=session,
        worker=app.worker,
        actor=actor,
        exceptional_grounds=app.grounds,
        exceptional_note=exceptional_note(app),
    )
    app.state, app.candidate = ExceptionalState.PLACED, candidate
    app.save(update_fields=["state", "candidate"])
    audit_record(
        actor=actor, action="talents.exceptional.place", target=app, after={"candidate": candidate.pk}
    )
    return app
