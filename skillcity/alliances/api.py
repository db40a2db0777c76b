"""/api/v1/alliances/: the same operations as the pages — create, members, documents, filing and the
bureau's decisions, Annex 1, half-year reports with Annex 3, Annex 2 as JSON, the .xlsx downloads.
Lookups through alliances.selectors (scoped like every page), writes through alliances.services."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from skillcity.alliances import schedule, selectors, services
from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.composition import INITIATOR_CATEGORIES
from skillcity.alliances.downloads import (
    annex1_download,
    annex2_data,
    annex2_download,
    annex3_data,
    annex3_download,
    report_phone_for,
)
from skillcity.alliances.models import ANNEX3_ENTERED_FIELDS, Alliance, HalfYearReport, Membership
from skillcity.alliances.policy_versions import label_for_period
from skillcity.alliances.services import UploadedDocument
from skillcity.alliances.views.common import xlsx_response
from skillcity.core.access import require_role
from skillcity.core.audit import audit_personal_data_view
from skillcity.core.bounds import Headcount, Id, IsoDate, shown_value
from skillcity.core.errors import DomainError, NotFound, PermissionDenied
from skillcity.core.periods import HalfYear
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.api import OrganisationAnnex1In
from skillcity.registry.models import Industry, Organisation

router = Router(tags=["alliances"])


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


# --- alliances ---------------------------------------------------------------------------------


@router.get("", response=list[AllianceRowOut], summary="Alliances the caller may see, with report flags")
def list_alliances(request: HttpRequest, filters: Query[ListQuery]) -> Any:
    require_role(request.user, "bureau_officer", "town_officer", "organisation_user")
    rows = selectors.alliance_rows(
        request.user,
        q=filters.q,
        status=filters.status,
        industry=filters.industry,
        overdue_only=filters.overdue_only,
    )
    return [
        {
            "id": r.alliance.pk,
            "name": r.alliance.name,
            "status": r.alliance.status,
            "industry": r.alliance.industry.code,
            "initiator": r.alliance.initiator.name,
            "lead_enterprise": r.lead_name,
            "member_count": r.member_count,
            "last_report": str(r.last_period) if r.last_period else None,
            "missing": [str(p) for p in r.missing],
            "late": [str(p) for p in r.late],
            "flags": r.flags,
        }
        for r in rows
    ]


@router.post(
    "",
    response={201: AllianceDetailOut},
    summary="Create a draft alliance (the caller's organisation initiates)",
)
def create_alliance(request: HttpRequest, payload: AllianceIn) -> Any:
    user: Any = request.user
    if getattr(user, "role", "") != "organisation_user" or user.organisation is None:
        raise PermissionDenied(_("只有单位用户可以发起联盟"))
    if user.organisation.category not in INITIATOR_CATEGORIES:
        raise PermissionDenied(_("发起单位应为职业院校、技工院校、职业培训机构、科研机构或行业协会"))
    alliance = services.alliance_create(
        name=payload.name,
        industry=_industry(payload.industry),
        description=payload.description,
        initiator=user.organisation,
        actor=user,
    )
    return 201, _detail(alliance)


@router.get("/statistics", summary="Members by category and people trained per half year")
def get_statistics(request: HttpRequest) -> Any:
    require_role(request.user, "bureau_officer", "town_officer")
    return selectors.statistics(request.user)


@router.get("/{pk}", response=AllianceDetailOut)
def get_alliance(request: HttpRequest, pk: Id) -> Any:
    return _detail(selectors.alliance_get_for(request.user, pk))


@router.patch("/{pk}", response=AllianceDetailOut)
def update_alliance(request: HttpRequest, pk: Id, payload: AlliancePatch) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    alliance = services.alliance_update(
        alliance=alliance,
        actor=request.user,
        name=payload.name,
        industry=_industry(payload.industry) if payload.industry else None,
        description=payload.description,
    )
    return _detail(alliance)


@router.get("/{pk}/history", summary="The alliance's history, newest first")
def get_history(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    return [
        {"at": e.at, "actor": e.actor_label, "action": e.action, "message": e.message}
        for e in alliance.events.all()[:500]
    ]


@router.post(
    "/{pk}/file",
    response=AllianceDetailOut,
    summary="File (备案) with the bureau; 400 lists every missing item",
)
def file_alliance(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    return _detail(services.alliance_file(alliance=alliance, actor=request.user))


@router.post("/{pk}/accept", response=AllianceDetailOut)
def accept_alliance(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    return _detail(services.alliance_accept(alliance=alliance, actor=request.user))


@router.post("/{pk}/return", response=AllianceDetailOut)
def return_alliance(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    return _detail(services.alliance_return(alliance=alliance, actor=request.user, reason=payload.reason))


@router.post("/{pk}/dissolve", response=AllianceDetailOut)
def dissolve_alliance(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    if not (selectors.is_bureau(request.user) or selectors.is_initiator_user(request.user, alliance)):
        raise PermissionDenied(_("只有市人社局或联盟发起单位可以解散联盟"))
    return _detail(services.alliance_dissolve(alliance=alliance, actor=request.user, reason=payload.reason))


# --- members and documents ---------------------------------------------------------------------


@router.post("/{pk}/members", response={201: MemberOut}, summary="Add an organisation the registry holds")
def add_member(request: HttpRequest, pk: Id, payload: MemberIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise DomainError("invalid", _("未找到该单位"), {"organisation_id": _("未找到该单位")})
    return 201, services.member_add(
        alliance=alliance, organisation=organisation, actor=request.user, joined_on=payload.joined_on
    )


class RegisterForm(Schema):
    name: str
    category: str
    uscc: str
    town: str
    industry: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    office_phone: str = ""


@router.post(
    "/{pk}/members/register",
    response={201: MemberOut},
    summary="Add an organisation by its details (multipart); a new one needs its business licence",
)
def register_member(
    request: HttpRequest,
    pk: Id,
    data: Form[RegisterForm],
    business_licence: File[UploadedFile | None] = None,
) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    licence = (
        UploadedDocument.from_django(business_licence, field="business_licence", label=_("营业执照"))
        if business_licence is not None
        else None
    )
    return 201, services.member_register(
        alliance=alliance, data=data.dict(), actor=request.user, business_licence=licence
    )


@router.delete("/{pk}/members/{member_pk}", response={204: None})
def remove_member(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk, write=True)
    services.member_remove(membership=membership, actor=request.user)
    return 204, None


@router.post(
    "/{pk}/members/{member_pk}/lead", response=MemberOut, summary="Name this member the lead enterprise"
)
def set_lead(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk, write=True)
    return services.member_set_lead(membership=membership, actor=request.user)


@router.get("/{pk}/members/{member_pk}/annex1", summary="A member's Annex 1 values")
def get_annex1(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk)
    o = membership.organisation
    values = {name: getattr(o, name) for name in ANNEX1_FIELDS}
    # The mobile in full only to a role whose work needs it, audited; a PUT without it keeps it.
    if getattr(request.user, "sees_personal_data", False) and o.mobile:
        audit_personal_data_view(actor=request.user, target=o, field="mobile")
    else:
        values["mobile"] = o.mobile_masked
    return {
        "membership_id": membership.pk,
        "organisation_id": o.pk,
        "name": o.name,
        "role": membership.role,
        "filled_at": membership.annex1_filled_at,
        **values,
    }


@router.put("/{pk}/members/{member_pk}/annex1", response=MemberOut, summary="Fill a member's Annex 1")
def put_annex1(request: HttpRequest, pk: Id, member_pk: Id, payload: Annex1In) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk, annex1=True)
    return services.member_annex1_update(
        membership=membership, data=payload.dict(exclude_none=True), actor=request.user
    )


@router.post(
    "/{pk}/members/{member_pk}/annex1/upload",
    response=MemberOut,
    summary="Upload a filled Annex 1 .xlsx; 400 lists every bad cell and nothing is written",
)
def upload_annex1(request: HttpRequest, pk: Id, member_pk: Id, file: File[UploadedFile]) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk, annex1=True)
    return services.member_annex1_upload(
        membership=membership, content=read_upload(file, label=_("登记表")), actor=request.user
    )


@router.get("/{pk}/members/{member_pk}/annex1.xlsx", summary="Annex 1 in the official layout")
def download_annex1(request: HttpRequest, pk: Id, member_pk: Id) -> HttpResponse:
    _alliance, membership = _member(request, pk, member_pk)
    return xlsx_response(
        annex1_download(membership, viewer=request.user), f"annex1-{membership.organisation.uscc}.xlsx"
    )


class DocumentKindForm(Schema):
    kind: str


@router.post(
    "/{pk}/documents", response={201: DocumentOut}, summary="Upload the charter, agreement or other material"
)
def upload_document(
    request: HttpRequest, pk: Id, data: Form[DocumentKindForm], file: File[UploadedFile]
) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    return 201, services.document_upload(
        alliance=alliance,
        kind=data.kind,
        upload=UploadedDocument.from_django(file, label=_("材料文件")),
        actor=request.user,
    )


@router.get("/{pk}/documents/{document_pk}", summary="Download a stored document (access-checked)")
def download_document(request: HttpRequest, pk: Id, document_pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    document = alliance.documents.filter(pk=document_pk).first()
    if document is None:
        raise NotFound(_("记录不存在或您无权查看"))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-SHA256"] = document.sha256
    return response


@router.get("/{pk}/annex2", summary="Annex 2 from the members' current data, as JSON")
def get_current_annex2(request: HttpRequest, pk: Id) -> Any:
    return annex2_data(selectors.alliance_get_for(request.user, pk), None)


# --- half-year reports -------------------------------------------------------------------------


@router.get(
    "/{pk}/reports", response=list[PeriodStateOut], summary="Every reportable half year with its flags"
)
def list_reports(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    return [
        {
            "period": str(s.period),
            "due_on": s.due_on,
            "status": s.report.status if s.report else None,
            "owed": s.owed,
            "late": s.late,
            "missing": s.missing,
            "policy_label": s.policy_label,
        }
        for s in schedule.period_states(alliance, alliance.reports.all(), schedule.today())
    ]


@router.post("/{pk}/reports", response={201: ReportOut})
def create_report(request: HttpRequest, pk: Id, payload: ReportCreateIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = services.report_create(alliance=alliance, period=_period(payload.period), actor=request.user)
    return 201, _report_out(report, request.user)


@router.get("/{pk}/reports/{period}", response=ReportOut)
def get_report(request: HttpRequest, pk: Id, period: str) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    return _report_out(selectors.report_get_for(request.user, alliance, period), request.user)


@router.put(
    "/{pk}/reports/{period}/annex3", response=ReportOut, summary="Annex 3 figures (all lines or none)"
)
def put_annex3(request: HttpRequest, pk: Id, period: str, payload: ReportLinesIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = selectors.report_get_for(request.user, alliance, period)
    return _report_out(
        services.report_lines_update(
            report=report, lines=_lines(payload.lines), actor=request.user, source="API"
        ),
        request.user,
    )


@router.post(
    "/{pk}/reports/{period}/annex3/upload",
    response=ReportOut,
    summary="Upload a filled Annex 3 .xlsx; 400 lists every bad cell and nothing is written",
)
def upload_annex3(request: HttpRequest, pk: Id, period: str, file: File[UploadedFile]) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = selectors.report_get_for(request.user, alliance, period)
    content = read_upload(file, label=_("工作进展情况表"))
    return _report_out(
        services.report_annex3_upload(report=report, content=content, actor=request.user), request.user
    )


@router.post(
    "/{pk}/reports/{period}/submit", response=ReportOut, summary="Submit (Annex 2 is frozen as a snapshot)"
)
def submit_report(request: HttpRequest, pk: Id, period: str, payload: ReportSubmitIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = selectors.report_get_for(request.user, alliance, period)
    if payload.lines is not None:
        services.report_lines_update(
            report=report, lines=_lines(payload.lines), actor=request.user, source="API"
        )
    report = services.report_submit(
        report=report,
        actor=request.user,
        contact_person=payload.contact_person,
        contact_phone=payload.contact_phone,
        year_end_summary=payload.year_end_summary,
    )
    return _report_out(report, request.user)


@router.post("/{pk}/reports/{period}/accept", response=ReportOut)
def accept_report(request: HttpRequest, pk: Id, period: str) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return _report_out(services.report_accept(report=report, actor=request.user), request.user)


@router.post("/{pk}/reports/{period}/return", response=ReportOut)
def return_report(request: HttpRequest, pk: Id, period: str, payload: ReasonIn) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return _report_out(
        services.report_return(report=report, actor=request.user, reason=payload.reason), request.user
    )


@router.get(
    "/{pk}/reports/{period}/annex2", summary="The report's Annex 2 as JSON (its snapshot once submitted)"
)
def get_annex2(request: HttpRequest, pk: Id, period: str) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return {
        "period": str(report.period),
        "snapshot": bool(report.annex2_snapshot),
        "policy_label": label_for_period(report.period, report.policy_version),
        **annex2_data(alliance, report),
    }


@router.get("/{pk}/reports/{period}/annex2.xlsx", summary="Annex 2 in the official layout")
def download_annex2(request: HttpRequest, pk: Id, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return xlsx_response(
        annex2_download(alliance, report, viewer=request.user), f"annex2-{alliance.pk}-{report.period}.xlsx"
    )


@router.get("/{pk}/reports/{period}/annex3.xlsx", summary="Annex 3 in the official layout")
def download_annex3(request: HttpRequest, pk: Id, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return xlsx_response(
        annex3_download(report, viewer=request.user), f"annex3-{alliance.pk}-{report.period}.xlsx"
    )
