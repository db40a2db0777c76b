"""Half-year reports (D000 二(七)): the member list, Annex 2 (a snapshot computed from the members'
data at submission), Annex 3 (each member's figures for the half year) and, with H2, the year-end
summary. Workflow: draft → submitted → accepted, or → returned → (edited) → submitted again."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from skillcity.alliances import annexes, schedule
from skillcity.alliances.annexes import clean_annex3_values
from skillcity.alliances.models import (
    ANNEX3_ENTERED_FIELDS,
    Alliance,
    AllianceStatus,
    HalfYearReport,
    Membership,
    ReportLine,
    ReportStatus,
)
from skillcity.alliances.policy_versions import version_for_period
from skillcity.alliances.services.common import invalid, record_event, require_text
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.periods import HalfYear
from skillcity.core.validators import validate_phone

# The submission's history line by (submitted before, late): whole sentences, one message id each.
_SUBMIT_MESSAGES = {
    (False, False): N_("报送%(period)s半年度报告（成员单位%(count)s家）"),
    (False, True): N_("报送%(period)s半年度报告（成员单位%(count)s家），逾期报送"),
    (True, False): N_("重新报送%(period)s半年度报告（成员单位%(count)s家）"),
    (True, True): N_("重新报送%(period)s半年度报告（成员单位%(count)s家），逾期报送"),
}

_STATE_FIELDS = [
    "status",
    "first_submitted_at",
    "submitted_at",
    "reviewed_at",
    "return_reason",
    "policy_version",
]


def alliance_members(alliance: Alliance) -> list[Membership]:
    return list(alliance.memberships.select_related("organisation"))


def sync_lines(report: HalfYearReport, memberships: list[Membership]) -> None:
    """One line per member of the half year; 当期加盟成员单位 follows the membership dates."""
    period = report.period
    existing = {line.organisation_id: line for line in report.lines.all()}
    for m in annexes.members_in_period(memberships, period):
        joined = 1 if period.start <= m.joined_on <= period.end else 0
        line = existing.get(m.organisation_id)
        if line is None:
            ReportLine.objects.create(report=report, organisation=m.organisation, members_joined=joined)
        elif line.members_joined != joined:
            line.members_joined = joined
            line.save(update_fields=["members_joined"])


def locked_report(report: HalfYearReport) -> HalfYearReport:
    return HalfYearReport.objects.select_for_update().select_related("alliance").get(pk=report.pk)


@transaction.atomic
def report_create(
    *, alliance: Alliance, period: HalfYear, actor: Any, on: datetime.date | None = None
) -> HalfYearReport:
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    on = on or schedule.today()
    if alliance.status not in (AllianceStatus.ACTIVE, AllianceStatus.DISSOLVED):
        raise Conflict("invalid_state", _("联盟备案通过后才能报送半年度报告"))
    periods = schedule.reportable_periods(alliance, on)
    if period not in periods or not schedule.owes_report(alliance, period):
        span = f"{periods[0]}–{periods[-1]}" if periods else _("无")
        raise DomainError(
            "invalid_period",
            _("%(period)s 不在本联盟可报送的半年度范围内（%(span)s）") % {"period": period, "span": span},
            {"period": _("不在可报送范围内")},
        )
    try:
        with transaction.atomic():
            report = HalfYearReport.objects.create(
                alliance=alliance,
                year=period.year,
                half=period.half,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise Conflict("report_exists", _("%(period)s 的半年度报告已存在") % {"period": period}) from None
    sync_lines(report, alliance_members(alliance))
    record_event(alliance, actor, "report_create", N_("新建%(period)s半年度报告"), period=str(period))
    audit_record(actor=actor, action="alliance.report_create", target=report, after=snapshot(report))
    return report


@transaction.atomic
def report_lines_update(
    *, report: HalfYearReport, lines: Mapping[int, Mapping[str, Any]], actor: Any, source: str = "在线填报"
) -> HalfYearReport:
    """Annex 3 figures for some or all members, keyed by organisation id; all or nothing."""
    report = locked_report(report)
    if not report.is_editable:
        raise Conflict(
            "invalid_state",
            _("报告当前状态为“%(status)s”，不能修改") % {"status": report.get_status_display()},
        )
    sync_lines(report, alliance_members(report.alliance))
    by_org = {line.organisation_id: line for line in report.lines.select_for_update()}
    errors: dict[str, str] = {}
    cleaned: dict[int, dict[str, int]] = {}
    for org_id, raw in lines.items():
        if org_id not in by_org:
            errors[f"lines.{org_id}"] = _("不是本期成员单位")
            continue
        values, line_errors = clean_annex3_values(raw)
        for name, message in line_errors.items():
            errors[f"lines.{org_id}.{name}"] = message
        cleaned[org_id] = values
    if errors:
        raise invalid(errors)
    before = {str(k): snapshot(by_org[k], ANNEX3_ENTERED_FIELDS) for k in cleaned}
    for org_id, values in cleaned.items():
        for name, value in values.items():
            setattr(by_org[org_id], name, value)
    # One statement for the whole form: clean_annex3_values returns every entered field for each line.
    ReportLine.objects.bulk_update([by_org[k] for k in cleaned], ANNEX3_ENTERED_FIELDS)
    record_event(
        report.alliance,
        actor,
        "annex3",
        N_("填报%(period)s工作进展情况表（附件3，%(count)s家成员单位，%(source_label)s）"),
        period=str(report.period),
        count=len(cleaned),
        source_label=source,
    )
    audit_record(
        actor=actor,
        action="alliance.report_annex3",
        target=report,
        before=before,
        after={str(k): v for k, v in cleaned.items()},
    )
    return report


@transaction.atomic
def report_submit(
    *,
    report: HalfYearReport,
    actor: Any,
    contact_person: str,
    contact_phone: str,
    year_end_summary: str = "",
    at: datetime.datetime | None = None,
) -> HalfYearReport:
    report = locked_report(report)
    if not report.is_editable:
        raise Conflict(
            "invalid_state",
            _("报告当前状态为“%(status)s”，不能报送") % {"status": report.get_status_display()},
        )
    errors: dict[str, str] = {}
    contact_person = (contact_person or "").strip()
    if not contact_person:
        errors["contact_person"] = _("请填写填报联系人")
    try:
        contact_phone = validate_phone(contact_phone or "")
    except ValueError as exc:
        errors["contact_phone"] = str(exc)
    summary = (year_end_summary or "").strip()
    if report.half == 2 and not summary:
        # D000 二(七): "年终报送工作总结" — the summary goes with the second half year's report.
        errors["year_end_summary"] = _("下半年度报告须附年终工作总结")
    if errors:
        raise invalid(errors)
    memberships = alliance_members(report.alliance)
    sync_lines(report, memberships)
    in_period = annexes.members_in_period(memberships, report.period)
    before = snapshot(report, _STATE_FIELDS)
    now = at or schedule.now()
    version = version_for_period(report.period)
    report.contact_person = contact_person[:50]
    report.contact_phone = contact_phone
    report.year_end_summary = summary if report.half == 2 else ""
    report.annex2_snapshot = annexes.annex2_compute(in_period)
    report.member_list_snapshot = annexes.member_list(in_period)
    report.policy_version = version.id if version else ""
    report.status = ReportStatus.SUBMITTED
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_at = now
    report.return_reason = ""
    report.save()
    late = timezone.localdate(report.first_submitted_at) > schedule.due_date(report.period)
    record_event(
        report.alliance,
        actor,
        "report_submit",
        _SUBMIT_MESSAGES[(bool(before["first_submitted_at"]), late)],
        period=str(report.period),
        count=len(in_period),
    )
    audit_record(
        actor=actor,
        action="alliance.report_submit",
        target=report,
        before=before,
        after=snapshot(report, _STATE_FIELDS),
    )
    return report


@transaction.atomic
def report_accept(
    *, report: HalfYearReport, actor: Any, at: datetime.datetime | None = None
) -> HalfYearReport:
    report = locked_report(report)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(
            "invalid_state",
            _("报告当前状态为“%(status)s”，不能审核通过") % {"status": report.get_status_display()},
        )
    before = snapshot(report, _STATE_FIELDS)
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = at or schedule.now()
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    record_event(
        report.alliance,
        actor,
        "report_accept",
        N_("市人社局审核通过%(period)s半年度报告"),
        period=str(report.period),
    )
    audit_record(
        actor=actor,
        action="alliance.report_accept",
        target=report,
        before=before,
        after=snapshot(report, _STATE_FIELDS),
    )
    return report


@transaction.atomic
def report_return(*, report: HalfYearReport, actor: Any, reason: str) -> HalfYearReport:
    reason = require_text(reason, field="reason", label=_("退回理由"), max_length=2000)
    report = locked_report(report)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(
            "invalid_state",
            _("报告当前状态为“%(status)s”，不能退回") % {"status": report.get_status_display()},
        )
    before = snapshot(report, _STATE_FIELDS)
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.reviewed_at = schedule.now()
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    record_event(
        report.alliance,
        actor,
        "report_return",
        N_("市人社局退回%(period)s半年度报告：%(reason)s"),
        period=str(report.period),
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="alliance.report_return",
        target=report,
        before=before,
        after=snapshot(report, _STATE_FIELDS),
    )
    return report
