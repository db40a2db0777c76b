"""The alliances API's schemas and the helpers its endpoints share."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from skillcity.alliances import schedule, selectors
from skillcity.alliances.downloads import (
    annex3_data,
    report_phone_for,
)
from skillcity.alliances.models import ANNEX3_ENTERED_FIELDS, Alliance, HalfYearReport, Membership
from skillcity.alliances.policy_versions import label_for_period
from skillcity.core.bounds import Headcount, Id, IsoDate, shown_value
from skillcity.core.errors import DomainError
from skillcity.core.periods import HalfYear
from skillcity.core.schemas import InputSchema
from skillcity.registry.api import OrganisationAnnex1In
from skillcity.registry.models import Industry

# --- schemas -----------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    organisation_id: int
    name: str = Field(alias="organisation.name")
    uscc: str = Field(alias="organisation.uscc")
    category: str = Field(alias="organisation.category")
    role: str
    is_lead: bool
    joined_on: datetime.date
    left_on: datetime.date | None
    annex1_filled_at: datetime.datetime | None


class DocumentOut(Schema):
    id: int
    kind: str
    organisation_id: int | None
    original_name: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: datetime.datetime


class AllianceOut(Schema):
    id: int
    name: str
    status: str
    industry: str = Field(alias="industry.code")
    initiator_id: int
    initiator: str = Field(alias="initiator.name")
    description: str
    filed_at: datetime.datetime | None
    accepted_on: datetime.date | None
    return_reason: str
    dissolved_on: datetime.date | None
    dissolve_reason: str


class AllianceDetailOut(AllianceOut):
    members: list[MemberOut]
    documents: list[DocumentOut]


class AllianceRowOut(Schema):
    id: int
    name: str
    status: str
    industry: str
    initiator: str
    lead_enterprise: str
    member_count: int
    last_report: str | None
    missing: list[str]
    late: list[str]
    flags: list[str]


class AllianceIn(InputSchema):
    name: str
    industry: str = Field(description="industry code or name")
    description: str = ""


class AlliancePatch(InputSchema):
    name: str | None = None
    industry: str | None = None
    description: str | None = None


class MemberIn(InputSchema):
    organisation_id: Id
    joined_on: IsoDate | None = None


class ReasonIn(InputSchema):
    reason: str


# Annex 1 takes the registry organisation's own fields, with the same bounds.
Annex1In = OrganisationAnnex1In


class ReportLineIn(InputSchema):
    organisation_id: Id
    trained: Headcount = 0
    trained_general: Headcount = 0
    trained_level1: Headcount = 0
    trained_level2: Headcount = 0
    trained_level3: Headcount = 0
    trained_level4: Headcount = 0
    trained_level5: Headcount = 0
    trained_special_ability: Headcount = 0
    new_occupations: Headcount = 0
    new_special_abilities: Headcount = 0


class ReportLinesIn(InputSchema):
    lines: list[ReportLineIn]


class ReportCreateIn(InputSchema):
    period: str = Field(description="half year like 2024H1")


class ReportSubmitIn(InputSchema):
    contact_person: str
    contact_phone: str
    year_end_summary: str = ""
    lines: list[ReportLineIn] | None = Field(None, description="Annex 3 figures to save before submitting")


class ReportOut(Schema):
    id: int
    period: str
    status: str
    due_on: datetime.date
    late: bool
    policy_version: str
    policy_label: str
    contact_person: str
    contact_phone: str
    year_end_summary: str
    first_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    return_reason: str
    annex3: dict[str, Any]
    member_list: list[dict[str, Any]] | None


class PeriodStateOut(Schema):
    period: str
    due_on: datetime.date
    status: str | None
    owed: bool
    late: bool
    missing: bool
    policy_label: str


class ListQuery(Schema):
    q: str = ""
    status: str = ""
    industry: Id | None = None
    overdue_only: bool = False


# --- helpers -----------------------------------------------------------------------------------


def _industry(value: str) -> Industry:
    industry = Industry.objects.filter(code=value).first() or Industry.objects.filter(name=value).first()
    if industry is None:
        raise DomainError(
            "invalid", _("未知产业“%(value)s”") % {"value": shown_value(value)}, {"industry": _("未知产业")}
        )
    return industry


def _detail(alliance: Alliance) -> Alliance:
    alliance = Alliance.objects.select_related("industry", "initiator").get(pk=alliance.pk)
    alliance.members = selectors.memberships_of(alliance)  # type: ignore[attr-defined]
    return alliance


def _report_out(report: HalfYearReport, viewer: Any) -> dict[str, Any]:
    due = schedule.due_date(report.period)
    submitted = report.first_submitted_at
    return {
        "id": report.pk,
        "period": str(report.period),
        "status": report.status,
        "due_on": due,
        "late": submitted is not None and timezone.localdate(submitted) > due,
        "policy_version": report.policy_version,
        "policy_label": label_for_period(report.period, report.policy_version),
        "contact_person": report.contact_person,
        "contact_phone": report_phone_for(report, viewer),
        "year_end_summary": report.year_end_summary,
        "first_submitted_at": submitted,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "return_reason": report.return_reason,
        "annex3": annex3_data(report),
        "member_list": report.member_list_snapshot,
    }


def _member(
    request: HttpRequest, pk: Id, member_pk: Id, *, write: bool = False
) -> tuple[Alliance, Membership]:
    alliance = selectors.alliance_get_for(request.user, pk, write=write)
    return alliance, selectors.membership_get_for(request.user, alliance, member_pk)


def _lines(lines: list[ReportLineIn]) -> dict[int, dict[str, Any]]:
    result: dict[int, dict[str, Any]] = {}
    for line in lines:
        if line.organisation_id in result:
            raise DomainError(
                "invalid", _("同一成员单位出现了不止一次"), {f"lines.{line.organisation_id}": _("重复")}
            )
        result[line.organisation_id] = {f: getattr(line, f) for f in ANNEX3_ENTERED_FIELDS}
    return result


def _period(value: str) -> HalfYear:
    try:
        return HalfYear.parse(value)
    except ValueError:
        raise DomainError("invalid", _("半年度格式应为 2024H1"), {"period": _("格式应为 2024H1")}) from None
