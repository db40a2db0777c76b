"""Settlement pages: a provider or the bureau starts a half-year settlement (a background job with a
progress bar), the bureau reviews the statement (lines by rule, the clause each amount comes from,
totals), approves it, and pays one or several after a confirmation that shows the recipients and the
total, under a treasury reference. Approval and payment go through grants (services.settlement_*)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Organisation
from skillcity.training import selectors, services
from skillcity.training.models import Settlement, TrainingProject

PAY_MAX = 200  # settlements paid in one confirmation


def yuan(amount: Decimal) -> str:
    """128000 -> "128,000.00" for messages."""
    return f"{amount:,.2f}"


def settlement_period(raw: str | None) -> HalfYear:
    try:
        return HalfYear.parse(raw or "")
    except ValueError:
        raise DomainError(
            "invalid_period", _("结算期有误"), {"period": _("请选择半年，例如 2025年上半年")}
        ) from None


def settlement_provider_for(user: Any, provider_id: Any) -> Organisation:
    """A provider settles its own; the bureau names the provider."""
    role = getattr(user, "role", None)
    if role == "organisation_user" and user.organisation_id:
        return user.organisation  # type: ignore[no-any-return]
    if role == "bureau_officer":
        provider = Organisation.objects.filter(pk=provider_id).first() if provider_id else None
        if provider is None:
            raise DomainError("provider_required", _("请选择培训单位"), {"provider": _("请选择培训单位")})
        return provider
    raise PermissionDenied(_("您的角色无权执行此操作"))


def _ended_periods(count: int = 4) -> list[dict[str, str]]:
    period = HalfYear.containing(timezone.localdate())
    out = []
    for _i in range(count):
        period = HalfYear(period.year - 1, 2) if period.half == 1 else HalfYear(period.year, 1)
        out.append({"code": str(period), "label": services.period_label(period)})
    return out


def fail(request: HttpRequest, exc: DomainError) -> None:
    """The refusal as a message; a missing fund links to the fund creation page, filled in."""
    create_url = getattr(exc, "create_url", None)
    if create_url:
        messages.error(request, format_html('{} <a href="{}">{}</a>', exc.message, create_url, _("新建资金")))
        return
    details = "；".join(str(v) for v in exc.fields.values() if not isinstance(v, list | dict))
    messages.error(request, f"{exc.message}" + (f"（{details}）" if details else ""))


@login_required
def settlements(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "organisation_user", "bureau_officer", "town_officer")
    rows = list(selectors.settlements_for(user).order_by("-period", "-id")[:200])
    for row in rows:
        row.period_label = services.period_label(row.period)  # type: ignore[attr-defined]
    providers = (
        Organisation.objects.filter(pk__in=TrainingProject.objects.values("provider_id").distinct()).order_by(
            "name"
        )[:500]
        if user.role == "bureau_officer"
        else []
    )
    return render(
        request,
        "training/settlement_list.html",
        {"settlements": rows, "periods": _ended_periods(), "providers": providers},
    )


@login_required
@require_POST
def settlement_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        provider = settlement_provider_for(user, request.POST.get("provider"))
        settlement = services.settlement_start(
            provider=provider, period=settlement_period(request.POST.get("period")), actor=user
        )
    except DomainError as exc:
        fail(request, exc)
        return redirect("training:settlements")
    return redirect("training:settlement_detail", pk=settlement.pk)


def _lines_by_rule(settlement: Settlement) -> list[dict[str, Any]]:
    from skillcity.grants.services import rule_sources_on, rule_title

    period = HalfYear.parse(settlement.period)
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in settlement.lines.values("rule", "payee")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("rule", "payee")
    ]
    payees = dict(settlement.lines.model.Payee.choices)
    for row in rows:
        row["title"] = rule_title(row["rule"])
        row["payee_label"] = payees.get(row["payee"], row["payee"])
        row["sources"] = rule_sources_on(row["rule"], period.end)
    return rows


def _detail_context(user: Any, settlement: Settlement) -> dict[str, Any]:
    from skillcity.grants.services import settlement_claims

    done, total = settlement.enrolments_done, settlement.enrolments_total
    return {
        "s": settlement,
        "period_label": services.period_label(settlement.period),
        "percent": 100 if not total else min(100, done * 100 // total),
        "running": settlement.status == Settlement.Status.RUNNING,
        "lines": [] if settlement.status == Settlement.Status.RUNNING else _lines_by_rule(settlement),
        "claims": settlement_claims(settlement.pk).select_related("payment"),
        "can_approve": user.role == "bureau_officer" and settlement.status == Settlement.Status.CALCULATED,
        "can_pay": user.role == "bureau_officer" and settlement.status == Settlement.Status.APPROVED,
    }


@login_required
def settlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    settlement = get_for(user, selectors.settlements_for(user), pk)
    return render(request, "training/settlement_detail.html", _detail_context(user, settlement))


@login_required
def settlement_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx while the job runs; once done, the whole page reloads to show
    the statement."""
    user = acting_user(request)
    settlement = get_for(user, selectors.settlements_for(user), pk)
    response = render(request, "training/_settlement_progress.html", _detail_context(user, settlement))
    if settlement.status != Settlement.Status.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def settlement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    settlement = get_for(user, selectors.settlements_for(user), pk)
    try:
        services.settlement_approve(settlement=settlement, actor=user)
        messages.success(
            request,
            _("已审批 %(p)s %(n)s 的结算单，核定 %(t)s 元")
            % {
                "p": settlement.provider.name,
                "n": services.period_label(settlement.period),
                "t": yuan(settlement.total_amount),
            },
        )
    except DomainError as exc:
        fail(request, exc)
    return redirect("training:settlement_detail", pk=pk)


def _chosen(request: HttpRequest, user: Any) -> list[Settlement]:
    ids = [v for v in request.POST.getlist("ids") if v.isdigit()][:PAY_MAX]
    chosen = list(
        selectors.settlements_for(user).filter(pk__in=ids, status=Settlement.Status.APPROVED).order_by("id")
    )
    if not chosen:
        raise DomainError("nothing_chosen", _("请选择已审批待拨付的结算单"), {"ids": _("请至少选择一项")})
    return chosen


@login_required
@require_POST
def settlements_pay(request: HttpRequest) -> HttpResponse:
    """Two steps, both rendered here: without `confirmed`, the confirmation (recipients, total, the
    treasury reference to type); with it, the payment, each settlement once under one key per page."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    try:
        chosen = _chosen(request, user)
    except DomainError as exc:
        fail(request, exc)
        return redirect("training:settlements")
    recipients = len({s.provider_id for s in chosen})
    total = sum((s.total_amount for s in chosen), Decimal("0"))
    context = {
        "chosen": chosen,
        "recipients": recipients,
        "total": total,
        "total_display": yuan(total),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "reference": request.POST.get("treasury_reference", ""),
    }
    for s in chosen:
        s.period_label = services.period_label(s.period)  # type: ignore[attr-defined]
    if request.POST.get("confirmed") != "1":
        return render(request, "training/settlement_pay_confirm.html", context)
    try:
        # All or none: a refusal (a fund short, a reference missing) pays none of the chosen.
        with transaction.atomic():
            for s in chosen:
                services.settlement_pay(
                    settlement=s,
                    idempotency_key=f"{context['idempotency_key']}-{s.pk}"[:64],
                    actor=user,
                    treasury_reference=request.POST.get("treasury_reference", ""),
                )
    except DomainError as exc:
        context["error"] = exc
        context["field_errors"] = exc.fields
        return render(request, "training/settlement_pay_confirm.html", context, status=exc.status)
    messages.success(
        request,
        ngettext(
            "已向 %(n)s 家单位拨付 %(t)s 元（国库支付凭证号 %(r)s）",
            "已向 %(n)s 家单位拨付 %(t)s 元（国库支付凭证号 %(r)s）",
            recipients,
        )
        % {"n": recipients, "t": yuan(total), "r": request.POST.get("treasury_reference", "").strip()},
    )
    return redirect("training:settlements")
