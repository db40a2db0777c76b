"""Training and evaluation standards (PLT-STANDARD): the development project, acceptance (验收), the
expert panel with each member's score (a member from the developer's organisation refused), and
certification (认定), which makes the PLT-STANDARD application through grants (a range before 2023, a
cap from 2023: the rule decides). Each function is one transaction with its audit row."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import _role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import SCORE_MAX
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.money import round_fen
from skillcity.grants import flows
from skillcity.grants.models import Application
from skillcity.grants.services.records import STANDING_EXCLUDED, application_from_records
from skillcity.platforms.models.standards import Standard, StandardKind, StandardPanelMember, StandardState
from skillcity.registry.models import Occupation, Organisation, Worker

RULE = "PLT-STANDARD"
SOURCE_PREFIX = "platforms.standards."
PROVENANCE = "职业技能培训评价标准认定（%(number)s）"
# The platform's reading (the documents name no panel size or pass mark): at least three members, every
# one scored, and a mean of 60 or more certifies.
PANEL_MIN = 3
PASS_MEAN = Decimal("60")
REQUESTED_MAX = Decimal("1000000")
TEXT_MAX = {"title": 200, "plan": 4000, "note": 500, "comment": 500}


def today() -> datetime.date:
    return timezone.localdate()


def source_key(standard: Standard) -> str:
    return f"{SOURCE_PREFIX}standard:{standard.pk}"


def _require_bureau(actor: Any) -> None:
    if _role(actor) != "bureau_officer":
        raise PermissionDenied(_("只有人社局工作人员可以办理"))


def _lock(standard: Standard) -> Standard:
    return Standard.objects.select_for_update().get(pk=standard.pk)


def _refuse(standard: Standard, action: str) -> DomainError:
    return DomainError(
        "bad_state",
        _("标准“%(t)s”当前状态为“%(s)s”，不能%(a)s")
        % {"t": standard.title, "s": standard.get_state_display(), "a": action},
        status=409,
    )


def _note(note: str, field: str = "note") -> str:
    note = (note or "").strip()
    if len(note) > TEXT_MAX[field]:
        raise DomainError("note_too_long", _("意见最多 500 字"), {field: _("最多 500 字")})
    return note


# ---- the development project ---------------------------------------------------------------------


@transaction.atomic
def standard_file(
    *,
    actor: Any,
    developer: Organisation,
    occupation: Occupation,
    kind: str,
    title: str,
    plan: str,
    planned_completion: datetime.date,
    requested: Decimal,
    day: datetime.date | None = None,
) -> Standard:
    """A developer organisation files a standard's development project (the bureau may file for one)."""
    role = _role(actor)
    if role == "organisation_user":
        if actor.organisation_id != developer.pk:
            raise PermissionDenied(_("只能为本单位申报"))
    elif role != "bureau_officer":
        raise PermissionDenied(_("只有开发单位或人社局工作人员可以申报"))
    day = day or today()
    errors: dict[str, str] = {}
    title, plan = (title or "").strip(), (plan or "").strip()
    if not title:
        errors["title"] = _("请填写标准名称")
    elif len(title) > TEXT_MAX["title"]:
        errors["title"] = _("标准名称最多 200 字")
    if not plan:
        errors["plan"] = _("请填写开发计划")
    elif len(plan) > TEXT_MAX["plan"]:
        errors["plan"] = _("开发计划最多 4000 字")
    if kind not in StandardKind.values:
        errors["kind"] = _("请选择标准类别")
    if planned_completion < day:
        errors["planned_completion"] = _("计划完成日期不能早于申报日期 %(d)s") % {"d": day}
    if not requested.is_finite() or requested <= 0 or requested > REQUESTED_MAX:
        errors["requested"] = _("申请开发经费应为 0.01–1,000,000 元")
    if errors:
        raise DomainError(
            "invalid_standard", _("标准开发项目信息有误：%(e)s") % {"e": "；".join(errors.values())}, errors
        )
    standard = Standard.objects.create(
        developer=developer,
        occupation=occupation,
        kind=kind,
        title=title,
        plan=plan,
        planned_completion=planned_completion,
        requested=round_fen(requested),
        year=day.year,
        created_by=actor,
    )
    audit_record(actor=actor, action="platforms.standard.file", target=standard, after=snapshot(standard))
    return standard


@transaction.atomic
def standard_submit(*, actor: Any, standard: Standard) -> Standard:
    """The developer submits the developed standard for acceptance (again after a return)."""
    role = _role(actor)
    if role == "organisation_user" and actor.organisation_id != standard.developer_id:
        raise PermissionDenied(_("只能提交本单位的标准"))
    if role not in ("organisation_user", "bureau_officer"):
        raise PermissionDenied(_("只有开发单位可以提交验收"))
    standard = _lock(standard)
    if standard.state not in (StandardState.DEVELOPING, StandardState.RETURNED):
        raise _refuse(standard, _("提交验收"))
    before = standard.state
    standard.state = StandardState.SUBMITTED
    standard.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="platforms.standard.submit",
        target=standard,
        before={"state": before},
        after={"state": standard.state},
    )
    return standard


@transaction.atomic
def standard_accept(
    *, actor: Any, standard: Standard, passed: bool, note: str = "", day: datetime.date | None = None
) -> Standard:
    """验收: passed → to the panel for certification; returned to the developer with the reason."""
    _require_bureau(actor)
    standard = _lock(standard)
    if standard.state != StandardState.SUBMITTED:
        raise _refuse(standard, _("验收"))
    note = _note(note)
    if not passed and not note:
        raise DomainError("reason_required", _("请写明验收退回的原因"), {"note": _("请写明原因")})
    before = standard.state
    if passed:
        standard.state, standard.accepted_on = StandardState.ACCEPTED, day or today()
    else:
        standard.state = StandardState.RETURNED
    standard.note = note
    standard.save(update_fields=["state", "accepted_on", "note"])
    audit_record(
        actor=actor,
        action="platforms.standard.accept",
        target=standard,
        before={"state": before},
        after={"state": standard.state, "note": note},
    )
    return standard


# ---- the certification panel ---------------------------------------------------------------------


def panel_conflict(standard: Standard, worker: Worker) -> str:
    """Why this worker may not sit on the standard's panel ("" when they may)."""
    if worker.employer_id is not None and worker.employer_id == standard.developer_id:
        return _("专家%(w)s是开发单位“%(d)s”的职工，应当回避") % {
            "w": worker.name,
            "d": standard.developer.name,
        }
    return ""


@transaction.atomic
def standard_panel_add(*, actor: Any, standard: Standard, worker: Worker) -> StandardPanelMember:
    """Put a registry worker on the standard's certification panel — typed by the bureau, or drawn
    from the expert pool by the caller. A member from the developer's organisation is refused."""
    _require_bureau(actor)
    standard = _lock(standard)
    if standard.state != StandardState.ACCEPTED:
        raise _refuse(standard, _("组建认定专家组"))
    reason = panel_conflict(standard, worker)
    if reason:
        raise DomainError("panel_conflict", reason, {"worker": reason}, status=409)
    if StandardPanelMember.objects.filter(standard=standard, worker=worker).exists():
        raise Conflict(
            "member_exists",
            _("%(w)s 已在本标准的认定专家组中") % {"w": worker.name},
            {"worker": _("已在专家组中")},
        )
    member = StandardPanelMember.objects.create(standard=standard, worker=worker, added_by=actor)
    audit_record(
        actor=actor,
        action="platforms.standard.panel_add",
        target=standard,
        after={"worker": worker.pk, "member": member.pk},
    )
    return member


@transaction.atomic
def standard_panel_withdraw(*, actor: Any, standard: Standard, worker: Worker, reason: str) -> None:
    """A member who has not scored steps down (an expert drawn from the pool who declined)."""
    _require_bureau(actor)
    standard = _lock(standard)
    if standard.state != StandardState.ACCEPTED:
        raise _refuse(standard, _("调整认定专家组"))
    member = StandardPanelMember.objects.filter(standard=standard, worker=worker).first()
    if member is None:
        return
    if member.score is not None:
        raise DomainError("member_scored", _("%(w)s已评分，不能退出专家组") % {"w": worker.name}, status=409)
    member.delete()
    audit_record(
        actor=actor,
        action="platforms.standard.panel_withdraw",
        target=standard,
        before={"worker": worker.pk, "member": member.pk},
        after={"reason": (reason or "")[:500]},
    )


@transaction.atomic
def standard_panel_score(
    *, actor: Any, member: StandardPanelMember, score: Decimal, comment: str = ""
) -> StandardPanelMember:
    """Record one member's score (0–100, one decimal) and comment, as the bureau took them down."""
    _require_bureau(actor)
    standard = _lock(member.standard)
    if standard.state != StandardState.ACCEPTED:
        raise _refuse(standard, _("录入评分"))
    if not score.is_finite() or score < 0 or score > SCORE_MAX or score != score.quantize(Decimal("0.1")):
        raise DomainError("bad_score", _("评分应为 0–100 分（最多一位小数）"), {"score": _("应为 0–100 分")})
    comment = _note(comment, "comment")
    member = StandardPanelMember.objects.select_for_update().get(pk=member.pk)
    before = member.score
    member.score, member.comment, member.scored_at = score, comment, timezone.now()
    member.save(update_fields=["score", "comment", "scored_at"])
    audit_record(
        actor=actor,
        action="platforms.standard.panel_score",
        target=standard,
        before={"member": member.pk, "score": before},
        after={"member": member.pk, "worker": member.worker_id, "score": score, "comment": comment},
    )
    return member


def panel_mean(standard: Standard) -> Decimal | None:
    # The members' scores (the panel prefetched on a list, one query otherwise), averaged exactly.
    scores = [m.score for m in standard.panel.all() if m.score is not None]
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1"))


@transaction.atomic
def standard_certify(
    *, actor: Any, standard: Standard, note: str = "", day: datetime.date | None = None
) -> Application | None:
    """认定 from the panel's scores: at least three members, every one scored; a mean of 60 or more
    certifies the standard (numbered, listed publicly) and makes its PLT-STANDARD application from this
    record; a lower mean records the standard as not certified, with the mean in the note."""
    _require_bureau(actor)
    standard = _lock(standard)
    if standard.state != StandardState.ACCEPTED:
        raise _refuse(standard, _("认定"))
    members = list(standard.panel.all())
    if len(members) < PANEL_MIN:
        raise DomainError(
            "panel_too_small",
            _("认定专家组至少 %(n)s 人，目前 %(m)s 人") % {"n": PANEL_MIN, "m": len(members)},
            {"panel": _("至少 %(n)s 人") % {"n": PANEL_MIN}},
            status=409,
        )
    if any(m.score is None for m in members):
        raise DomainError(
            "scores_missing", _("认定专家组尚未全部评分"), {"panel": _("尚有专家未评分")}, status=409
        )
    mean = panel_mean(standard)
    assert mean is not None
    day = day or today()
    if day > today():
        raise DomainError("future_date", _("认定日期不能晚于今天"), {"certified_on": _("不能晚于今天")})
    note = _note(note)
    before = standard.state
    grant: Application | None = None
    if mean >= PASS_MEAN:
        # The year's numbered standards are locked first, so two certifications at once number in turn.
        list(Standard.objects.select_for_update().filter(number__startswith=f"DGBZ-{day.year}-").values("pk"))
        seq = Standard.objects.filter(year=day.year).exclude(number="").count() + 1
        number = f"DGBZ-{day.year}-{seq:03d}"
        while Standard.objects.filter(number=number).exists():
            seq += 1
            number = f"DGBZ-{day.year}-{seq:03d}"
        standard.state, standard.certified_on, standard.number = StandardState.CERTIFIED, day, number
        standard.note = note or _("专家组平均 %(m)s 分，予以认定") % {"m": mean}
        standard.save(update_fields=["state", "certified_on", "number", "note"])
        grant = application_from_records(
            actor=actor,
            rule_id=RULE,
            payee=standard.developer,
            event_date=day,
            facts={"requested": str(standard.requested)},
            fact_sources={"requested": PROVENANCE % {"number": number} + _("，立项申请金额")},
            source_key=source_key(standard),
        )
    else:
        standard.state = StandardState.NOT_CERTIFIED
        standard.note = note or _("专家组平均 %(m)s 分，低于 %(p)s 分，不予认定") % {
            "m": mean,
            "p": PASS_MEAN,
        }
        standard.save(update_fields=["state", "note"])
    audit_record(
        actor=actor,
        action="platforms.standard.certify",
        target=standard,
        before={"state": before},
        after={"state": standard.state, "mean": mean, "number": standard.number, "grant": grant and grant.pk},
    )
    return grant


def grant_of(standard: Standard) -> Application | None:
    return (
        Application.objects.filter(source_key=source_key(standard))
        .exclude(state__in=STANDING_EXCLUDED)
        .first()
    )


def describe_source(key: str) -> str | None:
    """grants' source describer for "platforms.standards.…" keys."""
    parts = key[len(SOURCE_PREFIX) :].split(":")
    if len(parts) == 2 and parts[0] == "standard":
        try:
            standard = Standard.objects.select_related("developer").get(pk=int(parts[1]))
        except (ValueError, Standard.DoesNotExist):
            return None
        return standard_label(standard)
    return None


def standard_label(standard: Standard) -> str:
    """What the grants pages show as the source of a standard's application."""
    return _("职业技能培训评价标准 %(t)s（%(d)s，%(no)s）") % {
        "t": standard.title,
        "d": standard.developer.name,
        "no": standard.number or "—",
    }


flows.register_source_describer(SOURCE_PREFIX, describe_source)


def certified_standard(raw: Any, field: str = "standard") -> Standard | None:
    """The certified standard a training project or a certification session names (by id), or None
    when it names none; an unknown or uncertified one is refused on `field`."""
    if raw in (None, ""):
        return None
    if isinstance(raw, Standard):
        standard: Standard | None = raw
    else:
        try:
            standard = Standard.objects.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            standard = None
    if standard is None or standard.state != StandardState.CERTIFIED:
        message = _("只能选择已认定的职业技能培训评价标准")
        raise DomainError("standard_not_certified", message, {field: message})
    return standard
