"""Master studios: application, review, city recognition (PLT-STUDIO new_city), upgrades and closure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import parse_money
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import outcomes
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records
from skillcity.platforms.models.studios import (
    STUDIO_LEVEL_RANK,
    Studio,
    StudioKind,
    StudioLevel,
    StudioState,
    StudioUpgrade,
)
from skillcity.platforms.services.studios.common import (
    HIGH_SKILL_LEVEL,
    NEW_CITY_CAP,
    REASON_MAX,
    RULE_ID,
    STANDING,
    TEXT_MAX,
    UPGRADE_LEVELS,
    _day,
    _lock,
    _reason,
    _refuse,
    _require_bureau,
    is_bureau,
    provenance,
    source_key,
    today,
)
from skillcity.policy.engine import NotInForce
from skillcity.policy.in_force import refusal_text
from skillcity.registry.models import Organisation, Worker
from skillcity.registry.signals import basis_revoked

# ---- application and review ----------------------------------------------------------------------


@transaction.atomic
def studio_apply(
    *,
    actor: Any,
    lead: Worker,
    name: str,
    occupation: str,
    summary: str,
    kind: str = StudioKind.MASTER,
    organisation: Organisation | None = None,
) -> Studio:
    """The enterprise files the studio of one of its high-skilled workers (the bureau may file for any
    enterprise). The lead is a registry worker employed there, level 3 (高级工) or higher, leading no
    other standing studio."""
    if is_bureau(actor):
        org = organisation or lead.employer
    elif getattr(actor, "role", "") == "organisation_user" and actor.organisation_id:
        org = actor.organisation
    else:
        raise PermissionDenied(_("只有依托单位或市人社局可以申报工作室"))
    errors: dict[str, str] = {}
    name, occupation, summary = (name or "").strip(), (occupation or "").strip(), (summary or "").strip()
    if not name:
        errors["name"] = _("必须填写")
    elif len(name) > 100:
        errors["name"] = _("不超过100个字")
    if not occupation:
        errors["occupation"] = _("必须填写")
    elif len(occupation) > 60:
        errors["occupation"] = _("不超过60个字")
    if not summary:
        errors["summary"] = _("必须填写")
    elif len(summary) > TEXT_MAX:
        errors["summary"] = _("不超过2000个字")
    if kind not in StudioKind.values:
        errors["kind"] = _("请选择工作室类型")
    if org is None or lead.employer_id != org.pk:
        errors["lead"] = _("领办人须为本单位在册职工")
    elif lead.highest_level is None or lead.highest_level > HIGH_SKILL_LEVEL:
        errors["lead"] = _("领办人须为高技能人才（三级/高级工及以上），登记库中%(w)s的最高等级为%(l)s") % {
            "w": lead.name,
            "l": lead.get_highest_level_display() if lead.highest_level else _("无"),
        }
    elif Studio.objects.filter(lead=lead, state__in=STANDING).exists():
        errors["lead"] = _("%(w)s已领办或申报了一个工作室") % {"w": lead.name}
    if errors:
        raise DomainError("invalid", _("工作室申报信息有误"), errors)
    assert org is not None
    try:
        with transaction.atomic():  # a savepoint: a twin submission's insert fails here, not as a 500
            studio = Studio.objects.create(
                name=name,
                kind=kind,
                lead=lead,
                organisation=org,
                occupation=occupation,
                summary=summary,
                applied_on=today(),
                created_by=actor,
            )
    except IntegrityError:
        message = _("%(w)s已领办或申报了一个工作室") % {"w": lead.name}
        raise DomainError("invalid", _("工作室申报信息有误"), {"lead": message}) from None
    audit_record(actor=actor, action="platforms.studio.apply", target=studio, after=snapshot(studio))
    return studio


@transaction.atomic
def studio_review(*, actor: Any, studio: Studio, passed: bool, note: str = "") -> Studio:
    _require_bureau(actor)
    s = _lock(studio)
    if s.state != StudioState.SUBMITTED:
        raise _refuse(s, _("审查"))
    if passed:
        s.state, s.review_note = StudioState.REVIEWED, (note or "").strip()[:REASON_MAX]
    else:
        s.state, s.review_note = StudioState.REJECTED, _reason(note, "note")
    s.save(update_fields=["state", "review_note", "updated_at"])
    audit_record(
        actor=actor,
        action="platforms.studio.review",
        target=s,
        after={"state": s.state, "note": s.review_note},
    )
    return s


def _from_records(
    *,
    actor: Any,
    studio: Studio,
    kind: str,
    day: datetime.date,
    facts: dict[str, Any],
    field: str,
    requested_amount: Decimal | None = None,
) -> Application:
    try:
        return application_from_records(
            actor=actor,
            rule_id=RULE_ID,
            payee=studio.organisation,
            event_date=day,
            facts=facts,
            fact_sources={name: provenance(studio) for name in facts},
            source_key=source_key(studio, kind),
            requested_amount=requested_amount,
        )
    except DomainError as exc:
        if exc.code != "not_in_force":
            raise
        text = refusal_text(RULE_ID, day, exc)
        raise DomainError(exc.code, text, {field: text}, status=409) from None


@transaction.atomic
def studio_recognise(
    *, actor: Any, studio: Studio, amount: Any, recognised_on: Any = None
) -> tuple[Studio, Application]:
    """City recognition: the studio opens at city level and PLT-STUDIO new_city is applied for from the
    record with the approved amount (at most the rule's cap, 500,000)."""
    _require_bureau(actor)
    s = _lock(studio)
    if s.state != StudioState.REVIEWED:
        raise _refuse(s, _("认定"))
    try:
        approved = parse_money(amount, low=Decimal("0.01"))
    except ValueError as exc:
        raise DomainError("bad_amount", _("核定补贴金额有误"), {"amount": str(exc)}) from None
    day = _day(recognised_on, "recognised_on")
    facts = {"recognition": "new_city", "requested": str(approved)}
    try:
        outcome = outcomes.evaluate(RULE_ID, day, dict(facts))
    except NotInForce as exc:
        text = refusal_text(RULE_ID, day, exc)  # which document ended and when, not the rule's code
        raise DomainError(exc.code, text, {"recognised_on": text}, status=409) from None
    cap = Decimal(str(outcome.get("max") or NEW_CITY_CAP))
    if approved > cap:
        message = _("核定金额不能超过新设市级工作室补贴上限 %(cap)s 元") % {"cap": f"{cap:,.2f}"}
        raise DomainError("over_cap", message, {"amount": message})
    s.state, s.level, s.recognised_on, s.approved_amount = (
        StudioState.RECOGNISED,
        StudioLevel.CITY,
        day,
        approved,
    )
    s.save(update_fields=["state", "level", "recognised_on", "approved_amount", "updated_at"])
    grant = _from_records(
        actor=actor,
        studio=s,
        kind="new_city",
        day=day,
        facts=facts,
        field="recognised_on",
        requested_amount=approved,  # in the application's own audit row
    )
    audit_record(
        actor=actor,
        action="platforms.studio.recognise",
        target=s,
        after={"level": s.level, "recognised_on": day, "approved_amount": approved, "grant": grant.pk},
    )
    return s, grant


@transaction.atomic
def studio_upgrade(
    *, actor: Any, studio: Studio, level: str, recognised_on: Any = None, document: str = ""
) -> tuple[StudioUpgrade, Application]:
    """A later provincial or national recognition: recorded once per level, the studio's level raised,
    and the one-time PLT-STUDIO award applied for from the record (paid once: grants' source key)."""
    _require_bureau(actor)
    s = _lock(studio)
    if s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("登记升级认定"))
    if level not in UPGRADE_LEVELS:
        raise DomainError("bad_level", _("请选择省级或国家级"), {"level": _("请选择省级或国家级")})
    document = (document or "").strip()
    if not document or len(document) > 120:
        raise DomainError(
            "document_required", _("请填写认定文件（不超过120字）"), {"document": _("必须填写，不超过120字")}
        )
    day = _day(recognised_on, "recognised_on")
    if s.recognised_on and day < s.recognised_on:
        raise DomainError(
            "before_city",
            _("升级认定日期不能早于市级认定日期"),
            {"recognised_on": _("不能早于市级认定日期%(d)s") % {"d": s.recognised_on.isoformat()}},
        )
    label = StudioLevel(level).label
    if StudioUpgrade.objects.filter(studio=s, level=level).exists():
        raise Conflict(
            "upgrade_exists",
            _("该工作室已登记%(l)s认定，一次性奖励只能给予一次") % {"l": label},
            {"level": _("已登记")},
        )
    try:
        with transaction.atomic():
            upgrade = StudioUpgrade.objects.create(
                studio=s, level=level, recognised_on=day, document=document, created_by=actor
            )
    except IntegrityError:
        raise Conflict("upgrade_exists", _("该工作室已登记%(l)s认定") % {"l": label}) from None
    if STUDIO_LEVEL_RANK[StudioLevel(level)] > STUDIO_LEVEL_RANK.get(StudioLevel(s.level or "city"), 1):
        s.level = level
        s.save(update_fields=["level", "updated_at"])
    grant = _from_records(
        actor=actor, studio=s, kind=level, day=day, facts={"recognition": level}, field="recognised_on"
    )
    audit_record(
        actor=actor,
        action="platforms.studio.upgrade",
        target=s,
        after={"level": level, "recognised_on": day, "document": document, "grant": grant.pk},
    )
    return upgrade, grant


def _end(*, actor: Any, studio: Studio, state: str, reason: str, day: datetime.date, action: str) -> Studio:
    studio.state, studio.end_reason, studio.ended_on = state, reason, day
    studio.save(update_fields=["state", "end_reason", "ended_on", "updated_at"])
    audit_record(
        actor=actor, action=action, target=studio, after={"state": state, "reason": reason, "ended_on": day}
    )
    # The lead's talent card may rest on this studio: talents rechecks it (its own audit rows).
    basis_revoked.send(
        sender=Studio,
        worker=studio.lead,
        actor=actor,
        reason=_("%(p)s：%(s)s（%(r)s）")
        % {"p": provenance(studio), "s": studio.get_state_display(), "r": reason},
    )
    return studio


@transaction.atomic
def studio_close(*, actor: Any, studio: Studio, reason: str, ended_on: Any = None) -> Studio:
    _require_bureau(actor)
    s = _lock(studio)
    if s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("关闭"))
    return _end(
        actor=actor,
        studio=s,
        state=StudioState.CLOSED,
        reason=_reason(reason),
        day=_day(ended_on, "ended_on"),
        action="platforms.studio.close",
    )
