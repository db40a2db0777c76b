"""Half-year reports with Annex 3, Annex 2 as JSON, and the official .xlsx downloads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from skillcity.alliances import schedule, selectors, services
from skillcity.alliances.api.schemas import (
    PeriodStateOut,
    ReasonIn,
    ReportCreateIn,
    ReportLinesIn,
    ReportOut,
    ReportSubmitIn,
    _lines,
    _period,
    _report_out,
)
from skillcity.alliances.downloads import (
    annex2_data,
    annex2_download,
    annex3_download,
)
from skillcity.alliances.policy_versions import label_for_period
from skillcity.alliances.views.common import xlsx_response
from skillcity.core.bounds import Id
from skillcity.core.uploads import read_upload

router = Router(tags=["alliances"])


@router.get("/{pk}/annex2", summary="Annex 2 from the members' current data, as JSON")
def get_current_annex2(request: HttpRequest, pk: Id) -> Any:
    return annex2_data(selectors.alliance_get_for(request.user, pk), None)


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
