"""Every certification write: one function per action, one transaction, one audit row.

Rules decided here (docs/certification.md):
- An evaluator certifies only while active and only inside its filed scope (occupation × level band).
- Enterprise self-assessment certifies its own employees only ("谁用人、谁评价").
- Pass: theory ≥ 60 and practical ≥ 60; the overall score shown is their mean.
- Promotion (晋级) to level L needs a valid skill-level record in the same occupation at level L+1;
  promotion sessions run at levels 1–4. Exceptional promotion (破格, D002 item 26) skips that step
  check and needs recorded grounds. Grading (定级) of in-post staff has no prerequisite, but a worker
  who already holds that level or higher in the occupation is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.certification import numbering, selectors, signing
from skillcity.certification.models import (
    LEVEL_NAMES,
    PASS_MARK,
    Candidate,
    Certificate,
    Evaluator,
    EvaluatorKind,
    EvaluatorScope,
    ExceptionalGrounds,
    Session,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import SCORE_MAX, SCORE_PLACES
from skillcity.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from skillcity.core.masking import mask_id_number
from skillcity.registry.models import Occupation, Organisation, SkillRecord, Worker
from skillcity.registry.services import skill_record_add
from skillcity.registry.signals import basis_revoked


def _level_name(level: int) -> str:
    return str(LEVEL_NAMES.get(level, level))


def _role(actor: Any) -> str:
    if getattr(actor, "is_superuser", False):
        return "bureau_officer"
    return str(getattr(actor, "role", ""))


def _require_bureau(actor: Any) -> None:
    if _role(actor) != "bureau_officer":
        raise PermissionDenied(_("仅市人社局可执行此操作"))


def require_evaluator_actor(actor: Any, evaluator: Evaluator) -> None:
    """The bureau, or a user of the evaluator's own organisation, acts for an evaluator."""
    role = _role(actor)
    if role == "bureau_officer":
        return
    if role == "organisation_user" and actor.organisation_id == evaluator.organisation_id:
        return
    raise PermissionDenied(_("您无权代表该评价机构操作"))


# --- evaluators ----------------------------------------------------------------------------------


ScopeLine = tuple[Occupation, int, int]  # occupation, highest level (smallest number), lowest level


def _clean_scope(scope: Iterable[ScopeLine]) -> list[ScopeLine]:
    lines = list(scope)
    if not lines:
        raise DomainError("scope_required", _("请填写评价范围（职业及等级）"), {"scope": _("至少一个职业")})
    seen: set[int] = set()
    for occupation, highest, lowest in lines:
        if occupation.pk in seen:
            raise DomainError(
                "scope_duplicate", _("职业“%(o)s”重复") % {"o": occupation.name}, {"scope": occupation.code}
            )
        seen.add(occupation.pk)
        if not occupation.has_levels:
            raise DomainError(
                "scope_no_levels",
                _("职业“%(o)s”不设技能等级，不能纳入等级认定范围") % {"o": occupation.name},
                {"scope": occupation.code},
            )
        if not (1 <= highest <= lowest <= 5):
            raise DomainError(
                "scope_levels_invalid",
                _("职业“%(o)s”的等级范围应为一级至五级之间，且最高等级不低于最低等级")
                % {"o": occupation.name},
                {"scope": occupation.code},
            )
    return lines


@transaction.atomic
def evaluator_file(
    *,
    organisation: Organisation,
    kind: str,
    scope: Iterable[ScopeLine],
    actor: Any,
    provincial: bool = False,
    qbank_filed: bool = False,
) -> Evaluator:
    """File (备案) an organisation as an evaluator, or re-file one the bureau returned."""
    role = _role(actor)
    if not (
        role == "bureau_officer" or (role == "organisation_user" and actor.organisation_id == organisation.pk)
    ):
        raise PermissionDenied(_("只能为本单位申请备案"))
    if kind not in EvaluatorKind.values:
        raise DomainError("kind_invalid", _("未知的评价机构类别"), {"kind": _("未知类别")})
    if kind == EvaluatorKind.ENTERPRISE and organisation.category != "enterprise":
        raise DomainError("kind_mismatch", _("企业自主评价只适用于企业"), {"kind": _("单位不是企业")})
    if kind == EvaluatorKind.TECHNICAL_SCHOOL and organisation.category != "technical_school":
        raise DomainError("kind_mismatch", _("该单位不是技工院校"), {"kind": _("单位不是技工院校")})
    lines = _clean_scope(scope)
    existing = Evaluator.objects.select_for_update().filter(organisation=organisation).first()
    before = snapshot(existing) if existing else None
    if existing is not None and existing.state not in (Evaluator.State.RETURNED,):
        raise Conflict(
            "already_filed", _("该单位已备案（状态：%(s)s）") % {"s": existing.get_state_display()}
        )
    evaluator = existing or Evaluator(organisation=organisation)
    evaluator.kind = kind
    evaluator.provincial = provincial
    evaluator.qbank_filed = qbank_filed
    evaluator.state = Evaluator.State.FILED
    evaluator.filed_at = timezone.now()
    evaluator.save()
    evaluator.scopes.all().delete()
    EvaluatorScope.objects.bulk_create(
        EvaluatorScope(evaluator=evaluator, occupation=o, highest_level=h, lowest_level=lo)
        for o, h, lo in lines
    )
    audit_record(
        actor=actor,
        action="evaluator.file",
        target=evaluator,
        before=before,
        after={**snapshot(evaluator), "scope": [[o.code, h, lo] for o, h, lo in lines]},
    )
    return evaluator


REVIEW_DECISIONS = {
    "approve": Evaluator.State.ACTIVE,
    "return": Evaluator.State.RETURNED,
    "reject": Evaluator.State.REJECTED,
}


@transaction.atomic
def evaluator_review(*, evaluator: Evaluator, decision: str, note: str, actor: Any) -> Evaluator:
    _require_bureau(actor)
    evaluator = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    if evaluator.state != Evaluator.State.FILED:
        raise Conflict(
            "not_reviewable", _("该备案状态为“%(s)s”，不能审核") % {"s": evaluator.get_state_display()}
        )
    if decision not in REVIEW_DECISIONS:
        raise DomainError("decision_invalid", _("审核结论无效"), {"decision": _("应为通过、退回或不予备案")})
    if decision in ("return", "reject") and not note.strip():
        raise DomainError("note_required", _("退回或不予备案须填写理由"), {"note": _("请填写理由")})
    before = snapshot(evaluator)
    evaluator.state = REVIEW_DECISIONS[decision]
    evaluator.review_note = note.strip()
    evaluator.reviewed_at = timezone.now()
    if decision == "approve" and not evaluator.site_serial:
        # Catalog §5: a province-registered organisation prints 0000; the others get the bureau's code.
        evaluator.organisation_code = "0000" if evaluator.provincial else f"{evaluator.pk % 10000:04d}"
        evaluator.site_serial = f"19{evaluator.pk % 10000:04d}"  # 19: Dongguan (4419)
    evaluator.save()
    audit_record(
        actor=actor,
        action=f"evaluator.{decision}",
        target=evaluator,
        before=before,
        after=snapshot(evaluator),
    )
    return evaluator


@transaction.atomic
def evaluator_suspend(*, evaluator: Evaluator, reason: str, actor: Any) -> Evaluator:
    _require_bureau(actor)
    evaluator = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    if evaluator.state != Evaluator.State.ACTIVE:
        raise Conflict("not_active", _("只能暂停已备案的评价机构"))
    if not reason.strip():
        raise DomainError("reason_required", _("请填写暂停原因"), {"reason": _("请填写原因")})
    before = snapshot(evaluator)
    evaluator.state = Evaluator.State.SUSPENDED
    evaluator.review_note = reason.strip()
    evaluator.save(update_fields=["state", "review_note"])
    audit_record(
        actor=actor, action="evaluator.suspend", target=evaluator, before=before, after=snapshot(evaluator)
    )
    return evaluator


def scope_check(*, evaluator: Evaluator, occupation: Occupation, level: int) -> None:
    """Refuse (with the reason) a certification outside the evaluator's filed scope or while not active."""
    if evaluator.state != Evaluator.State.ACTIVE:
        raise DomainError(
            "evaluator_not_active",
            _("评价机构“%(e)s”当前状态为“%(s)s”，不能开展认定")
            % {"e": evaluator.organisation.name, "s": evaluator.get_state_display()},
        )
    line = evaluator.scopes.filter(occupation=occupation).first()
    if line is None:
        raise DomainError(
            "outside_scope",
            _("评价机构“%(e)s”的备案范围不包括职业“%(o)s（%(c)s）”")
            % {"e": evaluator.organisation.name, "o": occupation.name, "c": occupation.code},
            {"occupation": _("不在备案范围内")},
        )
    if not line.covers(level):
        raise DomainError(
            "outside_scope",
            _("评价机构“%(e)s”在职业“%(o)s”的备案等级为%(h)s至%(l)s，不包括%(v)s")
            % {
                "e": evaluator.organisation.name,
                "o": occupation.name,
                "h": _level_name(line.highest_level),
                "l": _level_name(line.lowest_level),
                "v": _level_name(level),
            },
            {"level": _("不在备案等级范围内")},
        )


# --- sessions, candidates, results ------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    evaluator: Evaluator,
    occupation: Occupation,
    level: int,
    kind: str,
    date: datetime.date,
    site: str,
    actor: Any,
    direction: str = "",
    standard: Any = None,
) -> Session:
    from skillcity.platforms.services.standards import certified_standard

    require_evaluator_actor(actor, evaluator)
    errors: dict[str, str] = {}
    try:
        standard = certified_standard(standard)  # issue 17 §4: a certified standard, or none
    except DomainError as exc:
        errors.update(exc.fields)
    if kind not in Session.Kind.values:
        errors["kind"] = _("应为定级或晋级")
    if level not in (1, 2, 3, 4, 5):
        errors["level"] = _("技能等级应为1-5")
    elif kind == Session.Kind.PROMOTION and level == 5:
        errors["level"] = _("五级/初级工是起始等级，只能定级，不能晋级")
    if not site.strip():
        errors["site"] = _("请填写考核地点")
    if errors:
        raise DomainError("invalid", _("考核批次信息有误"), errors)
    scope_check(evaluator=evaluator, occupation=occupation, level=level)
    session = Session.objects.create(
        evaluator=evaluator,
        occupation=occupation,
        level=level,
        kind=kind,
        date=date,
        site=site.strip(),
        direction=direction.strip(),
        standard=standard,
    )
    audit_record(actor=actor, action="certification_session.create", target=session, after=snapshot(session))
    return session


def _held_level(worker: Worker, occupation: Occupation) -> int | None:
    """The best valid skill level the worker holds in this occupation (revoked certificates excluded)."""
    levels = list(
        SkillRecord.objects.filter(worker=worker, kind=SkillRecord.Kind.SKILL_LEVEL, occupation=occupation)
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .values_list("level", flat=True)
    )
    return min((lv for lv in levels if lv is not None), default=None)


def candidate_check(*, session: Session, worker: Worker, exceptional_grounds: str = "") -> None:
    """Why this worker may not sit this session, or nothing."""
    evaluator = session.evaluator
    if evaluator.kind == EvaluatorKind.ENTERPRISE and worker.employer_id != evaluator.organisation_id:
        # Reached at issue, for a candidate of the session who has since changed employer (adding a
        # non-employee is refused earlier, as a worker that does not exist).
        raise DomainError(
            "not_employee",
            _("企业自主评价只能评价本企业职工：%(w)s不是“%(e)s”的职工")
            % {"w": worker.name, "e": evaluator.organisation.name},
            {"worker": _("不是本企业职工")},
        )
    held = _held_level(worker, session.occupation)
    if held is not None and held <= session.level:
        raise DomainError(
            "already_holds_level",
            _("该劳动者已持有职业“%(o)s”%(h)s证书，不能再参加%(v)s认定")
            % {
                "o": session.occupation.name,
                "h": _level_name(held),
                "v": _level_name(session.level),
            },
            {"worker": _("已持有同级或更高等级")},
        )
    if session.kind == Session.Kind.PROMOTION and not exceptional_grounds:
        needed = session.level + 1
        if held != needed:
            raise DomainError(
                "promotion_step",
                _(
                    "晋级%(v)s须持有职业“%(o)s”%(n)s证书；该劳动者当前持有：%(h)s。如符合破格条件，请填写破格依据"
                )
                % {
                    "v": _level_name(session.level),
                    "o": session.occupation.name,
                    "n": _level_name(needed),
                    "h": _level_name(held) if held else _("无"),
                },
                {"worker": _("不符合逐级晋升条件")},
            )


@transaction.atomic
def candidate_add(
    *,
    session: Session,
    worker: Worker,
    actor: Any,
    exceptional_grounds: str = "",
    exceptional_note: str = "",
) -> Candidate:
    require_evaluator_actor(actor, session.evaluator)
    if session.state != Session.State.OPEN:
        raise Conflict("session_closed", _("该考核批次已发证，不能再添加考生"))
    if exceptional_grounds and exceptional_grounds not in ExceptionalGrounds.values:
        raise DomainError("grounds_invalid", _("未知的破格依据"), {"exceptional_grounds": _("未知依据")})
    if exceptional_grounds and not exceptional_note.strip():
        raise DomainError(
            "grounds_note_required",
            _("破格晋级须记录具体事实（如解决的技术难题、获奖名称）"),
            {"exceptional_note": _("请填写破格说明")},
        )
    if exceptional_grounds and session.kind != Session.Kind.PROMOTION:
        raise DomainError(
            "grounds_not_promotion", _("破格只适用于晋级"), {"exceptional_grounds": _("定级不适用")}
        )
    if not selectors.candidate_workers(session).filter(pk=worker.pk).exists():
        # A worker the evaluator may not take is answered as one that does not exist: no name, no
        # hint that the ID is registered.
        raise NotFound(_("劳动者不存在"))
    if Candidate.objects.filter(session=session, worker=worker).exists():
        raise Conflict("candidate_exists", _("该劳动者已在该考核批次中"))
    candidate_check(session=session, worker=worker, exceptional_grounds=exceptional_grounds)
    candidate = Candidate.objects.create(
        session=session,
        worker=worker,
        exceptional_grounds=exceptional_grounds,
        exceptional_note=exceptional_note.strip(),
    )
    audit_record(
        actor=actor, action="certification_candidate.add", target=candidate, after=snapshot(candidate)
    )
    return candidate


def parse_score(value: Any, field: str) -> Decimal:
    """A score 0–100 with at most one decimal, or a DomainError naming the field."""
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("score_invalid", _("成绩应为数字"), {field: _("应为0-100的数字")}) from None
    if not score.is_finite() or score < 0 or score > SCORE_MAX:
        raise DomainError("score_invalid", _("成绩应在0-100之间"), {field: _("应为0-100的数字")})
    if score != score.quantize(Decimal(1).scaleb(-SCORE_PLACES)):
        raise DomainError("score_invalid", _("成绩最多保留一位小数"), {field: _("最多一位小数")})
    return score


def result_of(theory: Decimal, practical: Decimal) -> tuple[str, Decimal]:
    """Pass rule: both parts at least PASS_MARK; the overall score is their mean, to one decimal."""
    passed = theory >= PASS_MARK and practical >= PASS_MARK
    overall = ((theory + practical) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return (Candidate.Result.PASSED if passed else Candidate.Result.FAILED), overall


def _apply_result(candidate: Candidate, theory: Decimal, practical: Decimal) -> None:
    candidate.theory_score = theory
    candidate.practical_score = practical
    candidate.result, candidate.overall_score = result_of(theory, practical)
    candidate.save(update_fields=["theory_score", "practical_score", "overall_score", "result"])


@transaction.atomic
def result_record(*, candidate: Candidate, theory: Any, practical: Any, actor: Any) -> Candidate:
    candidate = (
        Candidate.objects.select_for_update().select_related("session__evaluator").get(pk=candidate.pk)
    )
    require_evaluator_actor(actor, candidate.session.evaluator)
    if hasattr(candidate, "certificate"):
        raise Conflict("already_certified", _("该考生已发证，成绩不能修改"))
    before = snapshot(candidate)
    _apply_result(candidate, parse_score(theory, "theory_score"), parse_score(practical, "practical_score"))
    audit_record(
        actor=actor,
        action="certification_result.record",
        target=candidate,
        before=before,
        after=snapshot(candidate),
    )
    return candidate


# --- certificates -------------------------------------------------------------------------------------


def qr_payload(certificate: Certificate) -> dict[str, Any]:
    """What the QR carries: no more than the national lookup shows (the ID number is masked)."""
    return {
        "n": certificate.number,
        "nm": certificate.holder_name,
        "id": mask_id_number(certificate.worker.id_number),
        "oc": certificate.occupation.code,
        "o": certificate.occupation.name,
        "lv": certificate.level,
        "d": certificate.issued_on.isoformat(),
        "ev": certificate.evaluator.organisation.name,
    }


@transaction.atomic
def certificates_issue(
    *, session: Session, actor: Any, issued_on: datetime.date | None = None
) -> list[Certificate]:
    """Issue a certificate to every passed candidate of the session who has none yet.

    Each gets a number, a signed QR and the worker's skill record (which keeps highest_level in step).
    """
    session = (
        Session.objects.select_for_update()
        .select_related("evaluator__organisation", "occupation")
        .get(pk=session.pk)
    )
    evaluator = session.evaluator
    require_evaluator_actor(actor, evaluator)
    scope_check(evaluator=evaluator, occupation=session.occupation, level=session.level)
    issued_on = issued_on or timezone.localdate()
    if issued_on < session.date:
        raise DomainError(
            "issued_before_session", _("发证日期不能早于考核日期"), {"issued_on": _("早于考核日期")}
        )
    if session.candidates.filter(result=Candidate.Result.PENDING).exists():
        raise DomainError("results_pending", _("还有考生未录入成绩，不能发证"))
    passed = list(
        session.candidates.filter(result=Candidate.Result.PASSED, certificate__isnull=True)
        .select_related("worker")
        .order_by("id")
    )
    if not passed:
        raise DomainError("nobody_to_certify", _("没有待发证的合格考生"))
    prefix = numbering.number_prefix(evaluator=evaluator, year=issued_on.year, level=session.level)
    first = numbering.serial_allocate(prefix, len(passed))
    key = signing.signing_key()
    kid = signing.key_id(key.public_key())
    certificates = []
    for offset, candidate in enumerate(passed):
        # Checked again at issue: the worker may have changed employer or gained a level since enrolling.
        candidate_check(
            session=session, worker=candidate.worker, exceptional_grounds=candidate.exceptional_grounds
        )
        certificate = Certificate(
            number=numbering.number_format(prefix, first + offset),
            candidate=candidate,
            worker=candidate.worker,
            evaluator=evaluator,
            occupation=session.occupation,
            level=session.level,
            issued_on=issued_on,
            holder_name=candidate.worker.name,
            key_id=kid,
        )
        certificate.qr_token = signing.sign_payload(qr_payload(certificate), key)
        certificate.skill_record = skill_record_add(
            worker=candidate.worker,
            kind=SkillRecord.Kind.SKILL_LEVEL,
            actor=actor,
            obtained_on=issued_on,
            occupation=session.occupation,
            level=session.level,
            name=session.direction,
            certificate_number=certificate.number,
        )
        certificate.save()
        certificates.append(certificate)
        audit_record(actor=actor, action="certificate.issue", target=certificate, after=snapshot(certificate))
    if not session.candidates.filter(result=Candidate.Result.PASSED, certificate__isnull=True).exists():
        session.state = Session.State.CERTIFIED
        session.save(update_fields=["state"])
    return certificates


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor: Any) -> Certificate:
    """Revoke with a reason. The certificate and the skill record stay (history); the record is marked and
    the worker's highest_level is recomputed from the skill-level records whose certificates still stand."""
    certificate = Certificate.objects.select_for_update().select_related("evaluator").get(pk=certificate.pk)
    require_evaluator_actor(actor, certificate.evaluator)
    if certificate.status == Certificate.Status.REVOKED:
        raise Conflict("already_revoked", _("该证书已于%(d)s撤销") % {"d": certificate.revoked_on})
    if not reason.strip():
        raise DomainError("reason_required", _("撤销证书须填写原因"), {"reason": _("请填写撤销原因")})
    before = snapshot(certificate)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_on = timezone.localdate()
    certificate.revoked_reason = reason.strip()[:500]
    certificate.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    certificate.save(update_fields=["status", "revoked_on", "revoked_reason", "revoked_by"])
    worker = Worker.objects.select_for_update().get(pk=certificate.worker_id)
    level_before = worker.highest_level
    if certificate.skill_record_id:
        record = SkillRecord.objects.get(pk=certificate.skill_record_id)
        record.name = (_("【已撤销】") + record.name)[:100]
        record.save(update_fields=["name"])
    levels = (
        SkillRecord.objects.filter(worker=worker, kind=SkillRecord.Kind.SKILL_LEVEL, level__isnull=False)
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .values_list("level", flat=True)
    )
    worker.highest_level = min((lv for lv in levels if lv is not None), default=None)
    worker.save(update_fields=["highest_level", "updated_at"])
    audit_record(
        actor=actor,
        action="certificate.revoke",
        target=certificate,
        before=before,
        after={**snapshot(certificate), "worker_highest_level": [level_before, worker.highest_level]},
    )
    # Whatever was issued on this certificate (the talent card) is re-checked in this transaction.
    basis_revoked.send(sender=Certificate, worker=worker, actor=actor, reason=certificate.revoked_reason)
    return certificate
