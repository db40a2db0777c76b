"""Grants pages: applicant (apply, preview, submit, my applications), reviewer queue and decisions,
bureau (funds, notices, payments with .xlsx export), and the public notice list with objections."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError, NotFound
from skillcity.grants import outcomes, selectors, services
from skillcity.grants.models import ApplicationState, Objection, PublicNotice

APPLICANT_ROLES = ("organisation_user", "worker")


def _amount(raw: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise DomainError("bad_amount", _("金额格式不正确"), {"amount": _("格式不正确")}) from None


def _facts(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        raise DomainError("invalid_facts", _("申报事实须为JSON对象"), {"facts": _("格式不正确")}) from None
    if not isinstance(value, dict):
        raise DomainError("invalid_facts", _("申报事实须为JSON对象"), {"facts": _("格式不正确")})
    return value


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters: dict[str, Any] = {k: request.GET.get(k, "").strip() for k in ("rule", "state")}
    overdue = request.GET.get("overdue") == "1"
    queue = (
        selectors.review_queue(user, overdue=overdue, **filters) if user.role not in APPLICANT_ROLES else []
    )
    apps = selectors.applications_for(user, overdue=overdue, **filters)[:200]
    return render(
        request,
        "grants/home.html",
        {
            "queue": queue,
            "applications": apps,
            "states": ApplicationState.choices,
            "filters": filters,
            "overdue": overdue,
            "is_applicant": user.role in APPLICANT_ROLES,
        },
    )


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *APPLICANT_ROLES)
    if request.method == "POST":
        try:
            app = services.application_create(
                actor=user,
                rule_id=request.POST.get("rule_id", "").strip(),
                event_date=datetime.date.fromisoformat(request.POST.get("event_date") or "2000-01-01"),
                facts=_facts(request.POST.get("facts", "")),
                requested_amount=_amount(request.POST.get("requested_amount", "")),
            )
            for upload in request.FILES.getlist("evidence"):
                services.evidence_add(application=app, actor=user, upload=upload)
            messages.success(request, _("申请草稿已保存"))
            return redirect("grants:detail", pk=app.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return render(request, "grants/apply.html", {"rules": outcomes.rules(), "post": request.POST})


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the engine's outcome as the form is filled."""
    acting_user(request)
    try:
        outcome = outcomes.evaluate(
            request.POST.get("rule_id", "").strip(),
            datetime.date.fromisoformat(request.POST.get("event_date") or "2000-01-01"),
            _facts(request.POST.get("facts", "")),
        )
        error = ""
    except (DomainError, ValueError) as exc:
        outcome, error = {}, str(getattr(exc, "message", exc))
    except Exception as exc:  # the engine refusing bad facts: show its message, never a 500
        outcome, error = {}, str(exc)
    return render(request, "grants/_outcome.html", {"outcome": outcome, "error": error})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    return render(
        request,
        "grants/detail.html",
        {
            "app": app,
            "outcome": app.outcome,
            "stage": services.current_stage(app),
            "overdue": selectors.is_overdue(app),
            "events": app.events.all(),
            "notice": getattr(app, "notice", None),
            "payment": getattr(app, "payment", None),
            "is_applicant": services._is_applicant(user, app),
        },
    )


ACTIONS = {
    "submit": lambda app, user, p: services.application_submit(application=app, actor=user),
    "withdraw": lambda app, user, p: services.application_withdraw(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "pass": lambda app, user, p: services.application_review_pass(
        application=app, actor=user, amount=_amount(p.get("amount", "")), reason=p.get("reason", "")
    ),
    "return": lambda app, user, p: services.application_return(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "reject": lambda app, user, p: services.application_reject(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "notice": lambda app, user, p: services.notice_start(application=app, actor=user),
    "approve": lambda app, user, p: services.application_approve(
        application=app, actor=user, amount=_amount(p.get("amount", "")), reason=p.get("reason", "")
    ),
    "pay": lambda app, user, p: services.payment_make(
        application=app, actor=user, idempotency_key=p.get("idempotency_key", "")
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    if action not in ACTIONS:
        raise NotFound()
    try:
        ACTIONS[action](app, user, request.POST)
        messages.success(request, _("操作成功"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:detail", pk=pk)


@login_required
@require_POST
def bulk_pass(request: HttpRequest) -> HttpResponse:
    """Pass several fixed-amount items at once; each is its own transaction and reports its own result."""
    user = acting_user(request)
    done, failed = 0, []
    for pk in request.POST.getlist("ids"):
        try:
            app = selectors.application_for(user, pk)
            if app.outcome.get("basis") not in ("fixed", "matched"):
                raise DomainError("bulk_not_fixed", _("只有定额条目可以批量通过"))
            services.application_review_pass(application=app, actor=user)
            done += 1
        except DomainError as exc:
            failed.append(f"#{pk}: {exc.message}")
    messages.info(request, _("批量通过 %(n)s 件") % {"n": done})
    for line in failed:
        messages.error(request, line)
    return redirect("grants:home")


def notices(request: HttpRequest) -> HttpResponse:
    """Public: the notices running now, with a form to lodge an objection."""
    return render(request, "grants/notices.html", {"notices": selectors.public_notices_current()})


@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    notice = PublicNotice.objects.filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    try:
        services.objection_lodge(
            notice=notice,
            actor=request.user,
            text=request.POST.get("text", ""),
            contact=request.POST.get("contact", ""),
        )
        messages.success(request, _("异议已提交"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:notices")


@login_required
def bureau(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    open_objections = Objection.objects.filter(resolved_at__isnull=True).select_related("notice__application")
    return render(
        request,
        "grants/bureau.html",
        {
            "funds": selectors.funds_report(),
            "objections": open_objections,
            "payments": selectors.payments_for(user)[:200],
        },
    )


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = Objection.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    try:
        services.objection_resolve(
            objection=found,
            actor=user,
            resolution=request.POST.get("resolution", ""),
            upheld=request.POST.get("upheld") == "1",
        )
        messages.success(request, _("异议已处理"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:bureau")


@login_required
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    user = acting_user(request)
    require_role(user, "bureau_officer")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "拨付清单"
    sheet.append(
        ["拨付编号", "申请编号", "政策条目", "申请人", "镇街", "金额（元）", "幂等键", "经办人", "拨付时间"]
    )
    for p in selectors.payments_for(user):
        sheet.append(
            [
                p.pk,
                p.application_id,
                p.application.rule_id,
                p.application.applicant_name,
                p.application.town.name,
                p.amount,
                p.idempotency_key,
                p.paid_by.get_username(),
                p.paid_at.strftime("%Y-%m-%d %H:%M"),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="payments.xlsx"'
    return response
