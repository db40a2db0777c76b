"""Half-year report pages: create, Annex 3 entry (form or .xlsx upload), Annex 2 preview, submit with
the year-end summary, the bureau's accept / return, and the .xlsx downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.alliances import schedule, selectors, services
from skillcity.alliances.annexes import ANNEX2_LABELS, ANNEX3_LABELS
from skillcity.alliances.downloads import annex2_data, annex2_download, annex3_data, annex3_download
from skillcity.alliances.forms import ReasonForm, ReportSubmitForm
from skillcity.alliances.models import ANNEX3_ENTERED_FIELDS, HalfYearReport
from skillcity.alliances.policy_versions import label_for_period
from skillcity.alliances.views.common import run, run_with_reason, xlsx_response
from skillcity.core.errors import DomainError
from skillcity.core.periods import HalfYear
from skillcity.core.uploads import read_upload


def _report_url(pk: int, period: Any) -> str:
    return reverse("alliances:report_detail", args=[pk, str(period)])


@login_required
@require_POST
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    try:
        period = HalfYear.parse(request.POST.get("period", ""))
        report = services.report_create(alliance=alliance, period=period, actor=request.user)
    except ValueError:
        messages.error(request, _("请选择半年度，例如 2024H1"))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        return redirect(_report_url(pk, report.period))
    return redirect("alliances:alliance_detail", pk=pk)


def _report_context(request: HttpRequest, alliance: Any, report: HalfYearReport) -> dict[str, Any]:
    lines = list(
        report.lines.select_related("organisation").order_by("organisation__category", "organisation__name")
    )
    is_initiator = selectors.is_initiator_user(request.user, alliance)
    due = schedule.due_date(report.period)
    return {
        "alliance": alliance,
        "report": report,
        "lines": lines,
        "entered_fields": ANNEX3_ENTERED_FIELDS,
        "annex3_labels": ANNEX3_LABELS,
        "annex2_labels": ANNEX2_LABELS,
        "annex2": annex2_data(alliance, report),
        "annex3": annex3_data(report),
        "can_edit": is_initiator and report.is_editable,
        "is_bureau": selectors.is_bureau(request.user),
        "policy_label": label_for_period(report.period, report.policy_version),
        "due_on": due,
        "late": report.first_submitted_at is not None and timezone.localdate(report.first_submitted_at) > due,
        "submit_form": ReportSubmitForm(
            initial={
                "contact_person": report.contact_person or alliance.initiator.contact_person,
                "contact_phone": report.contact_phone or alliance.initiator.office_phone,
                "year_end_summary": report.year_end_summary,
            },
            half=report.half,
        ),
        "reason_form": ReasonForm(label=_("退回理由"), auto_id="return-%s"),
        "line_errors": {},
        "upload_errors": [],
    }


@login_required
def report_detail(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    if request.method == "POST":
        alliance = selectors.alliance_get_for(request.user, pk, write=True)
        lines = {}
        for line in report.lines.all():
            lines[line.organisation_id] = {
                f: request.POST.get(f"l{line.organisation_id}_{f}", "") for f in ANNEX3_ENTERED_FIELDS
            }
        try:
            services.report_lines_update(report=report, lines=lines, actor=request.user)
        except DomainError as error:
            context = _report_context(request, alliance, report)
            context["line_errors"] = {k: v for k, v in error.as_dict()["fields"].items()}
            context["posted"] = request.POST
            messages.error(request, str(error.message))
            return render(request, "alliances/report.html", context, status=400)
        messages.success(request, _("已保存工作进展情况表（附件3）"))
        return redirect(_report_url(pk, report.period))
    return render(request, "alliances/report.html", _report_context(request, alliance, report))


@login_required
@require_POST
def report_upload(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = selectors.report_get_for(request.user, alliance, period)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("invalid", _("请选择要上传的 .xlsx 文件"), {"file": _("必填")})
        services.report_annex3_upload(
            report=report, content=read_upload(upload, label=_("工作进展情况表")), actor=request.user
        )
    except DomainError as error:
        context = _report_context(request, alliance, report)
        context["upload_errors"] = [
            (cell, reason) for cell, reasons in error.as_dict()["fields"].items() for reason in reasons
        ]
        messages.error(request, _("上传未导入：表格有错误，请按下列单元格修改后重新上传"))
        return render(request, "alliances/report.html", context, status=400)
    messages.success(request, _("已导入工作进展情况表（附件3）"))
    return redirect(_report_url(pk, report.period))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    report = selectors.report_get_for(request.user, alliance, period)
    form = ReportSubmitForm(request.POST, half=report.half)
    try:
        services.report_submit(
            report=report,
            actor=request.user,
            contact_person=request.POST.get("contact_person", ""),
            contact_phone=request.POST.get("contact_phone", ""),
            year_end_summary=request.POST.get("year_end_summary", ""),
        )
    except DomainError as error:
        context = _report_context(request, alliance, report)
        form.is_valid()
        form.apply_error(error)
        context["submit_form"] = form
        messages.error(request, str(error.message))
        return render(request, "alliances/report.html", context, status=400)
    messages.success(request, _("已报送 %(period)s 半年度报告") % {"period": report.period})
    return redirect(_report_url(pk, report.period))


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return run(
        request,
        lambda: services.report_accept(report=report, actor=request.user),
        success=_("报告已审核通过"),
        back=_report_url(pk, report.period),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    form = ReasonForm(request.POST, label=_("退回理由"), auto_id="return-%s")

    def page(bound: ReasonForm) -> HttpResponse:
        context = _report_context(request, alliance, report)
        context["reason_form"] = bound
        return render(request, "alliances/report.html", context, status=400)

    return run_with_reason(
        request,
        form,
        lambda reason: services.report_return(report=report, actor=request.user, reason=reason),
        success=_("报告已退回"),
        back=_report_url(pk, report.period),
        page=page,
    )


@login_required
def report_annex2_xlsx(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return xlsx_response(
        annex2_download(alliance, report, viewer=request.user),
        f"附件2-职业培训联盟基本情况表-{alliance.name}-{report.period}.xlsx",
    )


@login_required
def report_annex3_xlsx(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    report = selectors.report_get_for(request.user, alliance, period)
    return xlsx_response(
        annex3_download(report, viewer=request.user),
        f"附件3-职业培训联盟工作进展情况表-{alliance.name}-{report.period}.xlsx",
    )
