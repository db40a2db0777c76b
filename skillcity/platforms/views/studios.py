"""Pages of the master studios: the list (the enterprise's studios and its application form; the
bureau's list with T-STUDIOS progress), a studio's page (its grants, reports and the next steps), and
the public list of recognised studios (platforms:public_index)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_name
from skillcity.platforms.models.experts import ExpertDraw
from skillcity.platforms.models.studios import (
    Studio,
    StudioLevel,
    StudioReport,
    StudioReportResult,
    StudioState,
)
from skillcity.platforms.selectors import studios as selectors
from skillcity.platforms.services import studios as services
from skillcity.platforms.views.experts.forms import PanelDrawForm
from skillcity.platforms.views.studios_forms import (
    StudioApplyForm,
    StudioCloseForm,
    StudioEvaluateForm,
    StudioRecogniseForm,
    StudioReportForm,
    StudioReviewForm,
    StudioUpgradeForm,
)

PAGE_SIZE = 50


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    is_bureau = services.is_bureau(user)
    form = None
    if user.role == "organisation_user" and user.organisation_id:
        form = StudioApplyForm(request.POST or None, organisation=user.organisation, prefix="apply")
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                studio = services.studio_apply(
                    actor=user,
                    lead=data["lead"],
                    name=data["name"],
                    kind=data["kind"],
                    occupation=data["occupation"],
                    summary=data["summary"],
                )
            except DomainError as exc:
                form.show_domain_error(exc)
            else:
                messages.success(request, _("工作室申报已提交，等待市人社局审查"))
                return redirect("platforms:studio_detail", pk=studio.pk)
    state, level, q = request.GET.get("state", ""), request.GET.get("level", ""), request.GET.get("q", "")
    rows = selectors.studios_for(user, state=state, level=level, q=q)
    return render(
        request,
        "platforms/studios/list.html",
        {
            "page_obj": _page(request, rows),
            "form": form,
            "is_bureau": is_bureau,
            "progress": selectors.progress(timezone.localdate().year) if is_bureau else None,
            "states": StudioState.choices,
            "levels": StudioLevel.choices,
            "state": state,
            "level": level,
            "q": q,
        },
    )


ACTIONS = {
    "review": StudioReviewForm,
    "recognise": StudioRecogniseForm,
    "upgrade": StudioUpgradeForm,
    "close": StudioCloseForm,
    "report": StudioReportForm,
}


def _act(user: Any, studio: Studio, action: str, data: dict[str, Any], report: StudioReport | None) -> str:
    """Run one action with a valid form's data; the message for the page."""
    if action == "review":
        services.studio_review(
            actor=user, studio=studio, passed=data["decision"] == "pass", note=data["note"]
        )
        return _("审查结论已记录")
    if action == "recognise":
        _studio, grant = services.studio_recognise(
            actor=user, studio=studio, amount=data["amount"], recognised_on=data["recognised_on"]
        )
        return _("已认定为市级工作室，补贴申请（编号 %(n)s）已进入补贴审核") % {"n": grant.pk}
    if action == "upgrade":
        _upgrade, grant = services.studio_upgrade(
            actor=user,
            studio=studio,
            level=data["level"],
            recognised_on=data["recognised_on"],
            document=data["document"],
        )
        return _("升级认定已登记，一次性奖励申请（编号 %(n)s）已进入补贴审核") % {"n": grant.pk}
    if action == "close":
        services.studio_close(actor=user, studio=studio, reason=data["reason"], ended_on=data["ended_on"])
        return _("工作室已关闭，原因已记录")
    if action == "report":
        apprentices = services.apprentices_from_numbers(data["apprentices"])
        services.report_submit(
            actor=user,
            studio=studio,
            year=data["year"],
            apprentices=apprentices,
            results=data["results"],
            results_count=data["results_count"],
            courses=data["courses"],
            courses_count=data["courses_count"],
        )
        return _("年度报告已报送，等待评估")
    assert report is not None
    services.report_evaluate(
        actor=user, report=report, passed=data["decision"] == "pass", reasons=data["reasons"]
    )
    return _("评估结论已记录")


@login_required
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    studio = selectors.studios_for(user).filter(pk=pk).first()
    if studio is None:
        raise Http404
    is_bureau = services.is_bureau(user)
    is_owner = user.role == "organisation_user" and user.organisation_id == studio.organisation_id
    forms: dict[str, Any] = {}
    if is_bureau and studio.state == StudioState.SUBMITTED:
        forms["review"] = StudioReviewForm(prefix="review")
    if is_bureau and studio.state == StudioState.REVIEWED:
        forms["recognise"] = StudioRecogniseForm(prefix="recognise")
    if studio.state == StudioState.RECOGNISED:
        if is_bureau:
            forms["upgrade"] = StudioUpgradeForm(prefix="upgrade")
            forms["close"] = StudioCloseForm(prefix="close")
        if is_bureau or is_owner:
            forms["report"] = StudioReportForm(
                prefix="report", initial={"year": timezone.localdate().year - 1}
            )
    reports = list(studio.reports.prefetch_related("apprentices__worker"))
    evaluate_forms: dict[int, StudioEvaluateForm] = {}
    if is_bureau:
        for r in reports:
            if r.result == StudioReportResult.PENDING:
                evaluate_forms[r.pk] = StudioEvaluateForm(prefix=f"evaluate-{r.pk}")
    if request.method == "POST":
        action = request.POST.get("action", "")
        report = None
        if action == "evaluate":
            report = next((r for r in reports if str(r.pk) == request.POST.get("report")), None)
            if report is None or report.pk not in evaluate_forms:
                raise Http404
            form: Any = StudioEvaluateForm(request.POST, prefix=f"evaluate-{report.pk}")
            evaluate_forms[report.pk] = form
        elif action in forms:
            form = ACTIONS[action](request.POST, prefix=action)
            forms[action] = form
        else:
            raise Http404
        if form.is_valid():
            try:
                text = _act(user, studio, action, form.cleaned_data, report)
            except DomainError as exc:
                form.show_domain_error(exc, aliases={"note": "note", "reasons": "reasons"})
            else:
                messages.success(request, text)
                return redirect("platforms:studio_detail", pk=studio.pk)
    for r in reports:
        r.evaluate_form = evaluate_forms.get(r.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "platforms/studios/detail.html",
        {
            "studio": studio,
            "upgrades": studio.upgrades.all(),
            "reports": reports,
            "grants": selectors.grant_rows(studio),
            "forms": forms,
            "is_bureau": is_bureau,
            # The experts drawn to review it (issue 17 §5), and the draw form while it is under review.
            "review_draws": ExpertDraw.objects.filter(
                subject_key=f"platforms.studio:{studio.pk}"
            ).prefetch_related("members__expert__worker")
            if is_bureau
            else [],
            "expert_draw_form": PanelDrawForm(auto_id="expert-draw-%s")
            if is_bureau and studio.state in (StudioState.SUBMITTED, StudioState.REVIEWED)
            else None,
        },
    )


def public_index(request: HttpRequest) -> HttpResponse:
    """Public (no login): the recognised, open studios, the lead's name masked."""
    level, q = request.GET.get("level", ""), request.GET.get("q", "")
    page_obj = _page(request, selectors.public_studios(level=level, q=q))
    for s in page_obj:
        s.lead_masked = mask_name(s.lead.name)
    return render(
        request,
        "platforms/studios/public.html",
        {
            "page_obj": page_obj,
            "levels": StudioLevel.choices,
            "level": level,
            "q": q,
            "counts": selectors.progress().open_by_level,
        },
    )


urlpatterns: list[URLPattern] = [
    path("studios/", studio_list, name="studio_list"),
    path("studios/<int:pk>/", studio_detail, name="studio_detail"),
    path("public/", public_index, name="public_index"),
]
