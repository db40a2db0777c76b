"""Sub-bases: an organisation applies, the bureau recognises (or not) and may revoke with a reason;
each recognised sub-base reports its year (public-training person-times, new courses), which the bureau
evaluates with PLT-SUBBASE from the records; the bureau names the public training centre."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import HEADCOUNT_MAX
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import flows, outcomes
from skillcity.platforms.models.subbases import Subbase, SubbaseCentre, SubbaseReport, SubbaseState
from skillcity.registry.models import Organisation

NAME_MAX = 200
NOTE_MAX = 500
COURSES_MAX = 200  # new courses of one sub-base in one year
FIRST_YEAR = 2018  # the public training person-times are counted since 2018 (catalog §11 baselines)
CERTIFICATIONS_MAX = 100_000


def today() -> datetime.date:
    return timezone.localdate()


def require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def require_own(actor: Any, organisation_id: int) -> None:
    """The bureau, or a user of the sub-base's own organisation."""
    if flows.user_has_stage_role(actor, "bureau_officer"):
        return
    if getattr(actor, "role", None) == "organisation_user" and actor.organisation_id == organisation_id:
        return
    raise PermissionDenied(_("只有分基地依托单位或市人社局可以执行此操作"))


def _note(note: str, *, required: bool, field: str = "note", label: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise DomainError(
            "reason_required", _("请填写%(l)s") % {"l": label}, {field: _("请填写%(l)s") % {"l": label}}
        )
    if len(note) > NOTE_MAX:
        raise DomainError("too_long", _("%(l)s不能超过500字") % {"l": label}, {field: _("不能超过500字")})
    return note


@transaction.atomic
def subbase_apply(
    *, actor: Any, name: str, direction: str, organisation: Organisation | None = None
) -> Subbase:
    """An organisation applies to be recognised (the bureau may file for one, naming it)."""
    if flows.user_has_stage_role(actor, "bureau_officer"):
        if organisation is None:
            raise DomainError(
                "organisation_required", _("请选择依托单位"), {"organisation": _("请选择依托单位")}
            )
    elif getattr(actor, "role", None) == "organisation_user" and actor.organisation_id:
        organisation = actor.organisation
    else:
        raise PermissionDenied(_("只有单位用户可以申请认定分基地"))
    assert organisation is not None
    errors: dict[str, str] = {}
    name, direction = (name or "").strip(), (direction or "").strip()
    if not name:
        errors["name"] = _("请填写分基地名称")
    elif len(name) > NAME_MAX:
        errors["name"] = _("不能超过200字")
    if not direction:
        errors["direction"] = _("请填写实训方向")
    elif len(direction) > NAME_MAX:
        errors["direction"] = _("不能超过200字")
    if errors:
        raise DomainError("invalid", _("分基地申请信息有误"), errors)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one application at a time
    standing = Subbase.objects.filter(
        organisation=organisation, state__in=[SubbaseState.APPLIED, SubbaseState.RECOGNISED]
    ).first()
    if standing is not None:
        raise Conflict(
            "subbase_exists",
            _("%(o)s已有分基地申请或认定（%(s)s），不能重复申请")
            % {"o": organisation.name, "s": standing.get_state_display()},
            {"name": _("已有分基地申请或认定")},
        )
    subbase = Subbase.objects.create(organisation=organisation, name=name, direction=direction)
    audit_record(actor=actor, action="platforms.subbase.apply", target=subbase, after=snapshot(subbase))
    return subbase


def _locked(subbase: Subbase) -> Subbase:
    return Subbase.objects.select_for_update().select_related("organisation").get(pk=subbase.pk)


def _require_state(subbase: Subbase, *states: str) -> None:
    if subbase.state not in states:
        raise DomainError(
            "bad_state", _("该分基地状态为“%(s)s”，不能执行此操作") % {"s": subbase.get_state_display()}
        )


@transaction.atomic
def subbase_recognise(
    *, actor: Any, subbase: Subbase, recognised_on: datetime.date | None = None, note: str = ""
) -> Subbase:
    require_bureau(actor)
    subbase = _locked(subbase)
    _require_state(subbase, SubbaseState.APPLIED)
    day = recognised_on or today()
    if day > today():
        raise DomainError(
            "future_date", _("认定日期不能晚于今天"), {"recognised_on": _("认定日期不能晚于今天")}
        )
    before = snapshot(subbase)
    subbase.state = SubbaseState.RECOGNISED
    subbase.recognised_on = day
    subbase.decision_note = _note(note, required=False, label=_("认定意见"))
    subbase.decided_by = actor
    subbase.save(update_fields=["state", "recognised_on", "decision_note", "decided_by"])
    audit_record(
        actor=actor,
        action="platforms.subbase.recognise",
        target=subbase,
        before=before,
        after=snapshot(subbase),
    )
    return subbase


@transaction.atomic
def subbase_reject(*, actor: Any, subbase: Subbase, note: str) -> Subbase:
    require_bureau(actor)
    subbase = _locked(subbase)
    _require_state(subbase, SubbaseState.APPLIED)
    before = snapshot(subbase)
    subbase.decision_note = _note(note, required=True, label=_("不予认定的理由"))
    subbase.state = SubbaseState.REJECTED
    subbase.decided_by = actor
    subbase.save(update_fields=["state", "decision_note", "decided_by"])
    audit_record(
        actor=actor, action="platforms.subbase.reject", target=subbase, before=before, after=snapshot(subbase)
    )
    return subbase


@transaction.atomic
def subbase_revoke(*, actor: Any, subbase: Subbase, note: str) -> Subbase:
    """Revoking a recognition keeps its history (reports, courses, grants); no new allocation after it."""
    require_bureau(actor)
    subbase = _locked(subbase)
    _require_state(subbase, SubbaseState.RECOGNISED)
    before = snapshot(subbase)
    subbase.decision_note = _note(note, required=True, label=_("撤销认定的理由"))
    subbase.state = SubbaseState.REVOKED
    subbase.decided_by = actor
    subbase.save(update_fields=["state", "decision_note", "decided_by"])
    audit_record(
        actor=actor, action="platforms.subbase.revoke", target=subbase, before=before, after=snapshot(subbase)
    )
    return subbase


# ---- yearly reports ------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *, actor: Any, subbase: Subbase, year: int, person_times: int, new_courses: str
) -> SubbaseReport:
    require_own(actor, subbase.organisation_id)
    subbase = _locked(subbase)
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= year <= today().year:
        errors["year"] = _("年度应在%(a)s至%(b)s之间") % {"a": FIRST_YEAR, "b": today().year}
    if not 0 <= person_times <= HEADCOUNT_MAX:
        errors["person_times"] = _("公共实训人次应为0至1000000")
    names = [line.strip() for line in (new_courses or "").splitlines() if line.strip()]
    if len(names) > COURSES_MAX:
        errors["new_courses"] = _("新开发课程不能超过200门")
    elif any(len(n) > NAME_MAX for n in names):
        errors["new_courses"] = _("每门课程名称不能超过200字")
    if errors:
        raise DomainError("invalid", _("年度报告信息有误"), errors)
    if subbase.state != SubbaseState.RECOGNISED or (
        subbase.recognised_on and subbase.recognised_on.year > year
    ):
        raise DomainError(
            "not_recognised",
            _("%(y)s年度该分基地未在认定状态，不能提交年度报告") % {"y": year},
            {"year": _("该年度未认定")},
        )
    if SubbaseReport.objects.filter(subbase=subbase, year=year).exists():
        raise Conflict("report_exists", _("%(y)s年度报告已提交") % {"y": year}, {"year": _("该年度已提交")})
    report = SubbaseReport.objects.create(
        subbase=subbase,
        year=year,
        person_times=person_times,
        new_courses="\n".join(names),
        new_course_count=len(names),
        submitted_by=actor,
    )
    audit_record(actor=actor, action="platforms.subbase_report.submit", target=report, after=snapshot(report))
    return report


def report_facts(report: SubbaseReport) -> tuple[dict[str, Any], dict[str, str]]:
    """PLT-SUBBASE's facts from the records: the recognition and the report's course lines."""
    subbase = report.subbase
    year_end = datetime.date(report.year, 12, 31)
    recognised = subbase.state in (SubbaseState.RECOGNISED, SubbaseState.REVOKED) and bool(
        subbase.recognised_on and subbase.recognised_on <= year_end
    )
    facts = {"recognised": recognised, "new_courses_this_year": report.new_course_count}
    sources = {
        "recognised": _("分基地认定记录（%(d)s）")
        % {"d": subbase.recognised_on.isoformat() if subbase.recognised_on else _("未认定")},
        "new_courses_this_year": _("%(y)s年度报告所列新开发课程") % {"y": report.year},
    }
    return facts, sources


@transaction.atomic
def report_evaluate(*, actor: Any, report: SubbaseReport) -> SubbaseReport:
    """The bureau evaluates a report with PLT-SUBBASE (facts from records, never typed); once."""
    require_bureau(actor)
    report = SubbaseReport.objects.select_for_update().select_related("subbase").get(pk=report.pk)
    if report.evaluated_at is not None:
        raise Conflict("already_evaluated", _("该年度报告已考核"))
    facts, _sources = report_facts(report)
    day = datetime.date(report.year, 12, 31)
    try:
        outcome = outcomes.evaluate("PLT-SUBBASE", day, facts)
    except DomainError as exc:
        from skillcity.policy.in_force import refusal_text

        raise DomainError(exc.code, refusal_text("PLT-SUBBASE", day, exc), status=409) from None
    report.outcome = {**outcome, "facts": facts}
    report.passed = bool(outcome.get("eligible"))
    report.evaluated_at = timezone.now()
    report.evaluated_by = actor
    report.save(update_fields=["outcome", "passed", "evaluated_at", "evaluated_by"])
    audit_record(
        actor=actor,
        action="platforms.subbase_report.evaluate",
        target=report,
        after={"passed": report.passed, "facts": facts},
    )
    return report


# ---- the public training centre ------------------------------------------------------------------


@transaction.atomic
def centre_set(*, actor: Any, organisation: Organisation, yearly_certifications: int = 3000) -> SubbaseCentre:
    """Name the public training centre whose own certificates count toward its yearly 3,000."""
    require_bureau(actor)
    if not 1 <= yearly_certifications <= CERTIFICATIONS_MAX:
        raise DomainError(
            "invalid",
            _("年度认定目标应为1至100000人"),
            {"yearly_certifications": _("年度认定目标应为1至100000人")},
        )
    centre = SubbaseCentre.objects.select_for_update().first()
    before = snapshot(centre) if centre else None
    if centre is None:
        centre = SubbaseCentre.objects.create(
            organisation=organisation, yearly_certifications=yearly_certifications, set_by=actor
        )
    else:
        centre.organisation = organisation
        centre.yearly_certifications = yearly_certifications
        centre.set_by = actor
        centre.save(update_fields=["organisation", "yearly_certifications", "set_by", "set_at"])
    audit_record(
        actor=actor,
        action="platforms.subbase_centre.set",
        target=centre,
        before=before,
        after=snapshot(centre),
    )
    return centre
