"""Master studios (issue 17 §1): application → review → city recognition (PLT-STUDIO new_city through
grants) → yearly reports and their evaluation → provincial/national upgrades (once each, through grants)
→ failure or closure with the reason (the lead's talent-card basis revoked). Each function is one
transaction with its audit row; a transition from the wrong state is refused naming the current state."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import parse_money
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records
from skillcity.platforms.models.studios import (
    STUDIO_LEVEL_RANK,
    Studio,
    StudioApprentice,
    StudioKind,
    StudioLevel,
    StudioReport,
    StudioReportResult,
    StudioState,
    StudioUpgrade,
)
from skillcity.policy.engine import NotInForce
from skillcity.registry.models import Organisation, Worker
from skillcity.registry.signals import basis_revoked

RULE_ID = "PLT-STUDIO"
SOURCE_PREFIX = "platforms.studios."
HIGH_SKILL_LEVEL = 3  # 高技能人才: level 3 (高级工) or higher (numbers 1–3)
NEW_CITY_CAP = Decimal("500000")  # shown in messages; the engine's parameter decides
TEXT_MAX = 2000
REASON_MAX = 500
APPRENTICES_MAX = 200
COUNT_MAX = 10_000
YEAR_MIN, YEAR_MAX = 2018, 2100
STANDING = (StudioState.SUBMITTED, StudioState.REVIEWED, StudioState.RECOGNISED)
UPGRADE_LEVELS = (StudioLevel.PROVINCIAL, StudioLevel.NATIONAL)


def today() -> datetime.date:
    return timezone.localdate()


def is_bureau(actor: Any) -> bool:
    return flows.user_has_stage_role(actor, "bureau_officer")


def _require_bureau(actor: Any) -> None:
    if not is_bureau(actor):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def _lock(studio: Studio) -> Studio:
    return Studio.objects.select_for_update().select_related("lead", "organisation").get(pk=studio.pk)


def _refuse(studio: Studio, action: str) -> Conflict:
    return Conflict(
        "bad_state",
        _("工作室当前状态为“%(s)s”，不能%(a)s") % {"s": studio.get_state_display(), "a": action},
        {"state": studio.state},
    )


def _reason(raw: Any, field: str = "reason") -> str:
    text = str(raw or "").strip()
    if not text:
        raise DomainError("reason_required", _("请写明原因"), {field: _("必须填写")})
    if len(text) > REASON_MAX:
        raise DomainError("reason_too_long", _("原因不超过500个字"), {field: _("不超过500个字")})
    return text


def _day(raw: Any, field: str) -> datetime.date:
    if raw is None or raw == "":
        return today()
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw))
        except ValueError:
            raise DomainError(
                "bad_date", _("日期格式应为YYYY-MM-DD"), {field: _("日期格式应为YYYY-MM-DD")}
            ) from None
    if day > today():
        raise DomainError("future_date", _("日期不能晚于今天"), {field: _("不能晚于今天")})
    return day


def source_key(studio: Studio, kind: str) -> str:
    return f"{SOURCE_PREFIX}{studio.pk}:{kind}"


def describe_source(key: str) -> str | None:
    """grants' source describer: "技能大师工作室“…” · 新设市级工作室补贴"."""
    try:
        studio_id, kind = key.removeprefix(SOURCE_PREFIX).split(":", 1)
        studio = Studio.objects.filter(pk=int(studio_id)).first()
    except ValueError:
        return None
    if studio is None:
        return None
    labels = {
        "new_city": _("新设市级工作室补贴"),
        "provincial": _("获评省级一次性奖励"),
        "national": _("获评国家级一次性奖励"),
    }
    return _("%(kind)s“%(name)s” · %(what)s") % {
        "kind": studio.get_kind_display(),
        "name": studio.name,
        "what": labels.get(kind, kind),
    }


def provenance(studio: Studio) -> str:
    return _("%(kind)s“%(name)s”（第%(n)s号工作室记录）") % {
        "kind": studio.get_kind_display(),
        "name": studio.name,
        "n": studio.pk,
    }


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
    *, actor: Any, studio: Studio, kind: str, day: datetime.date, facts: dict[str, Any], field: str
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
        )
    except NotInForce as exc:
        raise DomainError(exc.code, exc.message, {field: exc.message}, status=409) from None


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
        raise DomainError(exc.code, exc.message, {"recognised_on": exc.message}, status=409) from None
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
    grant = _from_records(actor=actor, studio=s, kind="new_city", day=day, facts=facts, field="recognised_on")
    Application.objects.filter(pk=grant.pk).update(requested_amount=approved)
    grant.requested_amount = approved
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


# ---- yearly reports ------------------------------------------------------------------------------


def _count(raw: Any, field: str) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError("bad_count", _("应为整数"), {field: _("应为0至10000的整数")}) from None
    if not 0 <= value <= COUNT_MAX:
        raise DomainError("bad_count", _("应为0至10000的整数"), {field: _("应为0至10000的整数")})
    return value


def apprentices_from_numbers(raw: str) -> list[Worker]:
    """The apprentices a report names by ID number (one a line): each must be in the registry; every
    unknown number is listed."""
    numbers: list[str] = []
    for line in (raw or "").replace("，", "\n").replace(",", "\n").splitlines():
        number = line.strip().upper()
        if number and number not in numbers:
            numbers.append(number)
    if len(numbers) > APPRENTICES_MAX:
        raise DomainError("too_many", _("徒弟不超过200人"), {"apprentices": _("不超过200人")})
    found = {w.id_number: w for w in Worker.objects.filter(id_number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        shown = "、".join(n[:4] + "…" + n[-4:] if len(n) > 8 else n for n in missing[:20])
        message = _("以下身份证号码不在人才登记库中：%(n)s") % {"n": shown}
        raise DomainError("unknown_apprentice", message, {"apprentices": message})
    return [found[n] for n in numbers]


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    studio: Studio,
    year: int,
    apprentices: list[Worker],
    results: str,
    results_count: Any,
    courses: str = "",
    courses_count: Any = 0,
) -> StudioReport:
    """The studio's enterprise (or the bureau) reports a year: once per year, while the studio is open."""
    s = _lock(studio)
    if not (is_bureau(actor) or getattr(actor, "organisation_id", None) == s.organisation_id):
        raise PermissionDenied(_("只有依托单位或市人社局可以报送年度报告"))
    if s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("报送年度报告"))
    errors: dict[str, str] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not YEAR_MIN <= year <= today().year:
        errors["year"] = _("年度应在%(a)s至%(b)s之间") % {"a": YEAR_MIN, "b": today().year}
    elif s.recognised_on and year < s.recognised_on.year:
        errors["year"] = _("不能早于认定年度%(y)s") % {"y": s.recognised_on.year}
    results, courses = (results or "").strip(), (courses or "").strip()
    if not results:
        errors["results"] = _("必须填写")
    elif len(results) > TEXT_MAX:
        errors["results"] = _("不超过2000个字")
    if len(courses) > TEXT_MAX:
        errors["courses"] = _("不超过2000个字")
    if s.lead in apprentices:
        errors["apprentices"] = _("领办人本人不能作为徒弟")
    if errors:
        raise DomainError("invalid", _("年度报告信息有误"), errors)
    n_results, n_courses = _count(results_count, "results_count"), _count(courses_count, "courses_count")
    if StudioReport.objects.filter(studio=s, year=year).exists():
        raise Conflict("report_exists", _("%(y)s年度报告已报送") % {"y": year}, {"year": _("该年度已报送")})
    report = StudioReport.objects.create(
        studio=s,
        year=year,
        results=results,
        results_count=n_results,
        courses=courses,
        courses_count=n_courses,
        submitted_by=actor,
    )
    StudioApprentice.objects.bulk_create(
        StudioApprentice(report=report, worker=w) for w in dict.fromkeys(apprentices)
    )
    audit_record(
        actor=actor,
        action="platforms.studio.report",
        target=report,
        after={**snapshot(report), "apprentices": [w.pk for w in apprentices]},
    )
    return report


@transaction.atomic
def report_evaluate(
    *, actor: Any, report: StudioReport, passed: bool, reasons: str, day: Any = None
) -> StudioReport:
    """The bureau's evaluation: pass, or fail with the reasons — a failed evaluation revokes the studio
    (recorded with the reasons) and its lead's talent-card basis."""
    _require_bureau(actor)
    r = StudioReport.objects.select_for_update().get(pk=report.pk)
    if r.result != StudioReportResult.PENDING:
        raise Conflict(
            "already_evaluated",
            _("该年度报告已评估（%(r)s）") % {"r": r.get_result_display()},
            {"result": r.result},
        )
    s = _lock(r.studio)
    if not passed and s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("作评估不合格处理"))
    reasons = _reason(reasons, "reasons") if not passed else (reasons or "").strip()[:REASON_MAX]
    when = _day(day, "day")
    r.result = StudioReportResult.PASSED if passed else StudioReportResult.FAILED
    r.evaluation_reasons, r.evaluated_on = reasons, when
    r.save(update_fields=["result", "evaluation_reasons", "evaluated_on"])
    audit_record(
        actor=actor,
        action="platforms.studio.evaluate",
        target=r,
        after={"result": r.result, "reasons": reasons},
    )
    if not passed:
        _end(
            actor=actor,
            studio=s,
            state=StudioState.FAILED,
            reason=_("%(y)s年度评估不合格：%(r)s") % {"y": r.year, "r": reasons},
            day=when,
            action="platforms.studio.fail",
        )
    return r


# ---- registrations -------------------------------------------------------------------------------

flows.register_source_describer(SOURCE_PREFIX, describe_source)


def leading_records(worker: Worker) -> list[dict[str, str]]:
    """The open studios a worker leads, as records a leading-talent application attaches."""
    from skillcity.platforms.selectors.studios import lead_levels

    return [
        {
            "kind": "studio",
            "code": level,
            "label": StudioLevel(level).label + _("技能大师工作室领办人"),
            "date": "",
            "source": source,
        }
        for level, source in lead_levels(worker, today())
    ]


def _register_leading_source() -> None:
    from skillcity.talents.services import leading

    if leading_records not in leading.STUDIO_SOURCES:
        leading.STUDIO_SOURCES.append(leading_records)


_register_leading_source()
