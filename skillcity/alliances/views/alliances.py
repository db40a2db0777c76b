"""Alliance pages: the list (the bureau's overview), create and edit, the detail with its history,
the filing and the bureau's decisions, and the statistics."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.alliances import schedule, selectors, services
from skillcity.alliances.composition import INITIATOR_CATEGORIES
from skillcity.alliances.downloads import annex2_download
from skillcity.alliances.forms import AllianceForm, DocumentForm, ReasonForm
from skillcity.alliances.models import AllianceStatus, DocumentKind, Notice
from skillcity.alliances.views.common import STAFF_ROLES, error_lines, run, run_with_reason, xlsx_response
from skillcity.core.access import require_role
from skillcity.core.bounds import query_ids, report_ignored_filters
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Industry


def _can_initiate(user: Any) -> bool:
    return (
        getattr(user, "role", "") == "organisation_user"
        and user.organisation is not None
        and user.organisation.category in INITIATOR_CATEGORIES
    )


@login_required
def alliance_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *STAFF_ROLES)
    f = {name: request.GET.get(name, "").strip() for name in ("q", "status", "industry", "overdue")}
    ids, bad = query_ids(f, {"industry": _("所属产业")})
    report_ignored_filters(request, bad)
    rows = selectors.alliance_rows(
        request.user,
        q=f["q"],
        status=f["status"],
        industry=ids["industry"],
        overdue_only=f["overdue"] == "1",
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliances/list.html",
        {
            "page": page,
            "f": f,
            "statuses": AllianceStatus.choices,
            "industries": Industry.objects.all(),
            "can_create": _can_initiate(request.user),
            "notices": selectors.notices_for(request.user, limit=10),
            "today": schedule.today(),
        },
    )


@login_required
def alliance_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _can_initiate(user):
        raise PermissionDenied(
            _("只有职业院校、技工院校、职业培训机构、科研机构或行业协会的单位用户可以发起联盟")
        )
    form = AllianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alliance = services.alliance_create(
                name=form.cleaned_data["name"],
                industry=form.cleaned_data["industry"],
                description=form.cleaned_data["description"],
                initiator=user.organisation,
                actor=user,
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已创建联盟草稿，请添加成员单位、指定承担主体并上传章程和合作协议"))
            return redirect("alliances:alliance_detail", pk=alliance.pk)
    return render(request, "alliances/form.html", {"form": form, "title": _("发起职业培训联盟")})


@login_required
def alliance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    form = AllianceForm(
        request.POST or None,
        initial={"name": alliance.name, "industry": alliance.industry, "description": alliance.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_update(
                alliance=alliance,
                actor=request.user,
                name=form.cleaned_data["name"],
                industry=form.cleaned_data["industry"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已保存"))
            return redirect("alliances:alliance_detail", pk=alliance.pk)
    return render(
        request, "alliances/form.html", {"form": form, "title": _("修改联盟信息"), "alliance": alliance}
    )


def detail_context(request: HttpRequest, alliance: Any) -> dict[str, Any]:
    user = request.user
    members = selectors.memberships_of(alliance)
    documents = list(alliance.documents.select_related("organisation", "uploaded_by"))
    today = schedule.today()
    states = schedule.period_states(alliance, alliance.reports.all(), today)
    is_initiator = selectors.is_initiator_user(user, alliance)
    return {
        "alliance": alliance,
        "members": members,
        "current_count": sum(1 for m in members if m.left_on is None),
        "documents": documents,
        "states": states,
        "today": today,
        "events": alliance.events.select_related("actor")[:200],
        "is_initiator": is_initiator,
        "is_bureau": selectors.is_bureau(user),
        "can_edit": is_initiator and alliance.is_editable,
        "can_members": is_initiator
        and alliance.status in (AllianceStatus.DRAFT, AllianceStatus.RETURNED, AllianceStatus.ACTIVE),
        "can_fill": {m.pk: selectors.can_fill_annex1(user, alliance, m) for m in members},
        "document_form": DocumentForm(auto_id="document-%s"),
        "return_form": ReasonForm(label=_("退回理由"), auto_id="return-%s"),
        "dissolve_form": ReasonForm(label=_("解散原因"), auto_id="dissolve-%s"),
        "missing_count": sum(1 for s in states if s.missing),
        "notices": Notice.objects.filter(alliance=alliance).order_by("-on_date", "-id")[:5]
        if is_initiator
        else [],
        "has_charter": any(d.kind == DocumentKind.CHARTER for d in documents),
        "has_agreement": any(d.kind == DocumentKind.COOPERATION_AGREEMENT for d in documents),
    }


@login_required
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    return render(request, "alliances/detail.html", detail_context(request, alliance))


@login_required
@require_POST
def alliance_file(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    try:
        services.alliance_file(alliance=alliance, actor=request.user)
    except DomainError as error:
        context = detail_context(request, alliance)
        context["filing_problems"] = error_lines(error) or [str(error.message)]
        return render(request, "alliances/detail.html", context, status=400)
    messages.success(request, _("已向市人社局备案，等待审核"))
    return redirect("alliances:alliance_detail", pk=alliance.pk)


@login_required
@require_POST
def alliance_accept(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    return run(
        request,
        lambda: services.alliance_accept(alliance=alliance, actor=request.user),
        success=_("备案已审核通过，联盟进入运行"),
        back=reverse("alliances:alliance_detail", args=[pk]),
    )


@login_required
@require_POST
def alliance_return(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    form = ReasonForm(request.POST, label=_("退回理由"), auto_id="return-%s")
    return run_with_reason(
        request,
        form,
        lambda reason: services.alliance_return(alliance=alliance, actor=request.user, reason=reason),
        success=_("已退回备案"),
        back=reverse("alliances:alliance_detail", args=[pk]),
        page=lambda bound: _detail_again(request, alliance, return_form=bound),
    )


def _detail_again(request: HttpRequest, alliance: Any, **forms: Any) -> HttpResponse:
    context = detail_context(request, alliance)
    context.update(forms)
    return render(request, "alliances/detail.html", context, status=400)


@login_required
@require_POST
def alliance_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    if not (selectors.is_bureau(request.user) or selectors.is_initiator_user(request.user, alliance)):
        raise PermissionDenied(_("只有市人社局或联盟发起单位可以解散联盟"))
    form = ReasonForm(request.POST, label=_("解散原因"), auto_id="dissolve-%s")
    return run_with_reason(
        request,
        form,
        lambda reason: services.alliance_dissolve(alliance=alliance, actor=request.user, reason=reason),
        success=_("联盟已解散"),
        back=reverse("alliances:alliance_detail", args=[pk]),
        page=lambda bound: _detail_again(request, alliance, dissolve_form=bound),
    )


@login_required
def alliance_annex2(request: HttpRequest, pk: int) -> HttpResponse:
    """Annex 2 from the members' current data (each report has its own, frozen at submission)."""
    alliance = selectors.alliance_get_for(request.user, pk)
    return xlsx_response(
        annex2_download(alliance, None), f"附件2-职业培训联盟基本情况表-{alliance.name}.xlsx"
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "bureau_officer", "town_officer")
    return render(request, "alliances/statistics.html", {"stats": selectors.statistics(request.user)})
