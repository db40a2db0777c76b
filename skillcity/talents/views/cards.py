"""Card pages. The worker (phone): my card, its reasons and services, apply in one step. The public: verify
a scanned card. The bureau: cards (revoke), services, imports, the high-skill pool, the honours share."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.certification.api import client_address
from skillcity.certification.pdf import verify_url_for
from skillcity.certification.selectors import verify_rate_limited
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.exports import export_or_background, xlsx_response
from skillcity.core.spreadsheets import table_workbook
from skillcity.core.uploads import read_upload
from skillcity.policy.display import reason_texts
from skillcity.registry.sheet_rows import template as sheet_template
from skillcity.talents.forms import CardServiceForm, HonoursImportForm, PoolFilterForm, RevokeForm
from skillcity.talents.models import MAX_ACTIVE_SERVICES, CardService, HonourList, TalentCard
from skillcity.talents.selectors import cards as card_selectors
from skillcity.talents.selectors import pool as pool_selectors
from skillcity.talents.services import card_imports, cards, honours
from skillcity.talents.services.pool import POOL_EXPORT

BUREAU = "bureau_officer"
OFFICERS = ("bureau_officer", "town_officer")


def card_verify_url(request: HttpRequest) -> str:
    return verify_url_for(request, "talents:card_verify")


def qr_svg(data: str) -> str:
    # segno's SVG has no script and no style attribute: it renders under the CSP.
    return mark_safe(segno.make(data, error="m").svg_inline(scale=4, title=_("优才卡二维码")))


# --- the worker ---------------------------------------------------------------------------------


@login_required
def my_card(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    worker = user.worker
    assert worker is not None
    card = card_selectors.valid_card(worker)
    outcome = card_selectors.card_eligibility(worker) if card is None else None
    context: dict[str, Any] = {
        "card": card,
        "outcome": outcome,
        "reasons": reason_texts(outcome.as_dict()) if outcome else [],
        "services": card_selectors.active_services(),
        "history": card_selectors.worker_cards(worker).filter(status=TalentCard.Status.REVOKED),
    }
    if card is not None:
        link = f"{card_verify_url(request)}?qr={card.qr_token}"
        context.update({"qr": qr_svg(link), "verify_link": link})
    return render(request, "talents/my_card.html", context)


@login_required
@require_POST
def card_apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    assert user.worker is not None
    try:
        card = cards.card_apply(worker=user.worker, actor=user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("优才卡已发放，卡号 %(n)s") % {"n": card.number})
    return redirect("talents:my_card")


# --- the public ---------------------------------------------------------------------------------


def card_verify(request: HttpRequest) -> HttpResponse:
    """优才卡查验: the scanned QR (?qr=…). Public; rate-limited per address with the certificate lookup."""
    qr = request.GET.get("qr", "").strip()
    result = None
    error = ""
    status = 200
    if qr:
        if verify_rate_limited(client_address(request)):
            error, status = _("查询过于频繁，请一分钟后再试"), 429
        else:
            result = card_selectors.verify_card_token(qr)
    return render(
        request, "talents/card_verify.html", {"result": result, "error": error, "qr": qr}, status=status
    )


# --- the bureau ---------------------------------------------------------------------------------


@login_required
def card_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    status = request.GET.get("status", "")
    status = status if status in TalentCard.Status.values else ""
    found = card_selectors.card_list(user, status=status, q=request.GET.get("q", "")[:50])
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talents/card_list.html",
        {
            "page": page,
            "status": status,
            "q": request.GET.get("q", "")[:50],
            "statuses": TalentCard.Status.choices,
            "can_revoke": user.is_superuser or user.role == BUREAU,
            "form": RevokeForm(auto_id="revoke-%s"),
        },
    )


@login_required
@require_POST
def card_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    card = get_for(user, TalentCard.objects.select_related("worker"), pk, write=True)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤销优才卡须填写原因"))
        return redirect("talents:card_list")
    try:
        cards.card_revoke(card=card, reason=form.cleaned_data["reason"], actor=user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已撤销优才卡 %(n)s，并通知持卡人") % {"n": card.number})
    return redirect("talents:card_list")


@login_required
def service_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    editing = CardService.objects.filter(pk=pk).first() if pk else None
    initial = (
        {f: getattr(editing, f) for f in ("name", "provider", "description", "order", "active", "demo")}
        if editing
        else None
    )
    form = CardServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cards.card_service_save(actor=user, service=editing, **form.cleaned_data)
        except DomainError as exc:
            form.show_domain_error(exc)
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已保存服务“%(n)s”") % {"n": form.cleaned_data["name"]})
            return redirect("talents:services")
    services = CardService.objects.order_by("order", "id")
    return render(
        request,
        "talents/services.html",
        {
            "services": services,
            "form": form,
            "editing": editing,
            "active_count": sum(1 for s in services if s.active),
            "max_active": MAX_ACTIVE_SERVICES,
        },
    )


IMPORTS = {
    "titles": (
        card_imports.titles_import,
        card_imports.TITLE_COLUMNS,
        "称号",
        ["441900199001011234", "陈长安", "莞邑工匠", "2025-05-01", "东人社〔2025〕12号"],
    ),
    "studios": (
        card_imports.studios_import,
        card_imports.STUDIO_COLUMNS,
        "工作室领办人",
        ["441900199001011234", "陈长安", "长安精密模具技能大师工作室", "市级", "2024-09-01"],
    ),
}


@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    return render(
        request,
        "talents/imports.html",
        {
            "errors": request.session.pop("talents-import-errors", None),
            "error_kind": request.session.pop("talents-import-kind", ""),
            "honours_form": HonoursImportForm(auto_id="honours-%s"),
            "title_columns": list(card_imports.TITLE_COLUMNS),
            "studio_columns": list(card_imports.STUDIO_COLUMNS),
            "honour_columns": list(honours.COLUMNS),
            "lists": HonourList.objects.order_by("-year", "-id")[:20],
        },
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    require_role(acting_user(request), BUREAU)
    if kind == "honours":
        return xlsx_response(honours.honours_template(), "honours-template.xlsx")
    if kind not in IMPORTS:
        raise NotFound(_("未知导入类型"))
    _fn, columns, title, example = IMPORTS[kind]
    return xlsx_response(sheet_template(columns, title, example), f"{kind}-template.xlsx")


@login_required
@require_POST
def import_run(request: HttpRequest, kind: str) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 .xlsx 文件"))
        return redirect("talents:imports")
    try:
        content = read_upload(upload, label=_("导入文件"))
        if kind == "honours":
            form = HonoursImportForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写荣誉名称和年度（2000–2100）"))
                return redirect("talents:imports")
            result = honours.honours_import(
                award=form.cleaned_data["award"],
                year=form.cleaned_data["year"],
                filename=upload.name or "",
                content=content,
                actor=user,
            )
        elif kind in IMPORTS:
            result = IMPORTS[kind][0](filename=upload.name or "", content=content, actor=user)
        else:
            raise NotFound(_("未知导入类型"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("talents:imports")
    if result.ok:
        messages.success(request, _("已导入 %(n)d 行") % {"n": result.created})
    else:
        # The page lists every bad row in its own box; no second message above it.
        request.session["talents-import-errors"] = [vars(e) for e in result.errors]
        request.session["talents-import-kind"] = kind
    return redirect("talents:imports")


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    form = PoolFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    workers = pool_selectors.pool_queryset(user, filters)
    if request.GET.get("export") == "xlsx":
        return export_or_background(
            request,
            kind=POOL_EXPORT.name,
            rows=workers.count(),
            immediate=lambda: xlsx_response(
                table_workbook(
                    POOL_EXPORT.sheet_title, POOL_EXPORT.header, pool_selectors.pool_export_rows(workers)
                ),
                "talent-pool.xlsx",
            ),
        )
    page = Paginator(workers, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "worker": w,
            "titles": pool_selectors.pool_titles(w),
            "occupations": pool_selectors.pool_occupations(w),
        }
        for w in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return render(
        request,
        "talents/pool.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "export_query": query.urlencode(),
            "total": page.paginator.count,
        },
    )


@login_required
def honour_lists(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), BUREAU)
    return render(
        request, "talents/honour_lists.html", {"lists": HonourList.objects.order_by("-year", "-id")}
    )


@login_required
def honour_share(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(acting_user(request), BUREAU)
    honour_list = HonourList.objects.filter(pk=pk).first()
    if honour_list is None:
        raise NotFound(_("记录不存在或您无权查看"))
    outcome, rows = pool_selectors.honour_share(honour_list)
    return render(
        request,
        "talents/honour_share.html",
        {
            "honour_list": honour_list,
            "outcome": outcome,
            "reasons": reason_texts(outcome.as_dict()),
            "rows": rows,
            "counted": sum(1 for r in rows if r.counted),
        },
    )


urlpatterns = [
    path("card/", my_card, name="my_card"),
    path("card/apply/", card_apply, name="card_apply"),
    path("cards/verify/", card_verify, name="card_verify"),
    path("cards/", card_list, name="card_list"),
    path("cards/<int:pk>/revoke/", card_revoke, name="card_revoke"),
    path("services/", service_list, name="services"),
    path("services/<int:pk>/", service_list, name="service_edit"),
    path("imports/", imports_page, name="imports"),
    path("imports/<str:kind>/template/", import_template, name="import_template"),
    path("imports/<str:kind>/", import_run, name="import_run"),
    path("pool/", pool, name="pool"),
    path("honours/", honour_lists, name="honours"),
    path("honours/<int:pk>/", honour_share, name="honour_share"),
]
