"""Pages of supervision (issue 20 §5): the alerts (filtered, paginated), one alert with the records
behind it and the actions on it (errors next to their fields), the provider/evaluator risk ranking, and
the run history with the bureau's 全量核查 button (queued for the task worker, its state shown).

Bureau officers see every alert, town officers their town's; any other role is refused (403) and an
alert outside the officer's town is not found (404)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.accounts.models import User
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import by_id, parse_money, query_ids, report_ignored_filters
from skillcity.core.errors import DomainError, NotFound
from skillcity.registry.models import Organisation, Town
from skillcity.supervision import selectors
from skillcity.supervision.checks import CHECKS
from skillcity.supervision.models import Alert, AlertState, PaymentHold, Referral, Severity
from skillcity.supervision.selectors.risk import outcome_year, risk_ranking
from skillcity.supervision.services import workflow
from skillcity.supervision.services.requests import full_run_request

OFFICERS = ("bureau_officer", "town_officer")


def check_title(check_id: str) -> str:
    check = CHECKS.get(check_id)
    return str(check.title) if check is not None else check_id


def _money(raw: str | None, label: str, bad: list[str]) -> Decimal | None:
    if not (raw or "").strip():
        return None
    try:
        return parse_money(raw)
    except ValueError:
        bad.append(label)
        return None


def _filters(request: HttpRequest) -> selectors.AlertFilters:
    ids, bad = query_ids(request.GET, {"town": _("镇街"), "organisation": _("涉及单位")})
    f = selectors.AlertFilters(
        check=request.GET.get("check", "")[:40],
        town=ids["town"],
        organisation=ids["organisation"],
        state=request.GET.get("state", ""),
        severity=request.GET.get("severity", ""),
        money_min=_money(request.GET.get("money_min"), _("最低金额"), bad),
        money_max=_money(request.GET.get("money_max"), _("最高金额"), bad),
    )
    report_ignored_filters(request, bad)
    return f


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    filters = _filters(request)
    page = Paginator(selectors.alerts_for(user, filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for alert in page.object_list:
        alert.check_title = check_title(alert.check_id)  # type: ignore[attr-defined]
    is_bureau = user.role == "bureau_officer" or user.is_superuser
    return render(
        request,
        "supervision/alert_list.html",
        {
            "page": page,
            "filters": filters,
            "checks": sorted((c.id, str(c.title)) for c in CHECKS.values()),
            "towns": Town.objects.order_by("name") if is_bureau else [],
            "organisation": Organisation.objects.filter(pk=filters.organisation).first()
            if filters.organisation
            else None,
            "states": AlertState.choices,
            "severities": Severity.choices,
            "is_bureau": is_bureau,
        },
    )


def _detail(
    request: HttpRequest, user: User, alert: Alert, errors: dict[str, Any] | None = None, form: str = ""
) -> HttpResponse:
    from skillcity.grants.services.recoveries import recoverable

    applications = list(workflow.recoverable_applications(alert)[:50]) if alert.state == "confirmed" else []
    for app in applications:
        app.recoverable = recoverable(app)  # type: ignore[attr-defined]
    from skillcity.grants.models import Recovery

    return render(
        request,
        "supervision/alert_detail.html",
        {
            "alert": alert,
            "check": CHECKS.get(alert.check_id),
            "check_title": check_title(alert.check_id),
            "records": selectors.alert_records(alert),
            "events": alert.events.select_related("actor"),
            "holds": alert.holds.select_related("created_by", "released_by"),
            "referrals": alert.referrals.select_related("created_by"),
            "recoveries": Recovery.objects.filter(reference=f"supervision.alert:{alert.pk}").select_related(
                "application"
            ),
            "applications": applications,
            "officers": workflow.officers_for(alert),
            "referral_choices": Referral.To.choices,
            "errors": errors or {},
            "form": form,
            "data": request.POST if errors else {},
            "idempotency_key": request.POST.get("idempotency_key") or f"recovery-{uuid.uuid4().hex}",
        },
        status=400 if errors else 200,
    )


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return _detail(request, user, get_for(user, Alert.objects.select_related("organisation", "town"), pk))


def _act(action: str, alert: Alert, user: User, data: Any) -> str:
    """Run one action; the message saying what was done."""
    if action == "assign":
        assignee = by_id(User, data.get("assignee"))
        workflow.alert_assign(alert=alert, assignee=assignee, actor=user, note=data.get("note", ""))
        return _("已分派给 %(u)s") % {"u": assignee}
    if action == "investigate":
        workflow.alert_investigate(alert=alert, actor=user, note=data.get("note", ""))
        return _("已开始核查")
    if action == "confirm":
        workflow.alert_confirm(alert=alert, actor=user, reason=data.get("reason", ""))
        return _("已确认违规")
    if action == "dismiss":
        workflow.alert_dismiss(alert=alert, actor=user, reason=data.get("reason", ""))
        return _("已排除该预警；相关记录不变时不再预警")
    if action == "hold":
        workflow.hold_place(alert=alert, actor=user, reason=data.get("reason", ""))
        return _("已暂停该单位的补贴拨付")
    if action == "recover":
        recovery = workflow.alert_recover(
            alert=alert,
            application_id=data.get("application"),
            amount=data.get("amount", ""),
            reason=data.get("reason", ""),
            actor=user,
            idempotency_key=data.get("idempotency_key", ""),
        )
        return _("已记录追回 %(m)s 元（申请 #%(a)s）") % {
            "m": f"{recovery.amount:,.2f}",
            "a": recovery.application_id,
        }
    if action == "refer":
        referral = workflow.alert_refer(
            alert=alert, to=data.get("to", ""), note=data.get("note", ""), actor=user
        )
        return _("已移送%(t)s") % {"t": referral.get_to_display()}
    raise NotFound(_("没有该操作"))


ACTIONS = ("assign", "investigate", "confirm", "dismiss", "hold", "recover", "refer")


@login_required
@require_POST
def alert_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    alert = get_for(user, Alert.objects.select_related("organisation", "town"), pk)
    if action not in ACTIONS:
        raise NotFound(_("没有该操作"))
    try:
        done = _act(action, alert, user, request.POST)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
        alert.refresh_from_db()
        return _detail(
            request, user, alert, errors=dict(error.fields) or {"general": error.message}, form=action
        )
    messages.success(request, done)
    return redirect("supervision:alert_detail", pk=alert.pk)


@login_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    hold = get_for(user, PaymentHold.objects.select_related("alert"), pk)
    try:
        workflow.hold_release(hold=hold, actor=user, reason=request.POST.get("release_reason", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
        return _detail(
            request,
            user,
            hold.alert,
            errors=dict(error.fields) or {"general": error.message},
            form=f"release-{hold.pk}",
        )
    messages.success(request, _("已解除暂停拨付"))
    return redirect("supervision:alert_detail", pk=hold.alert_id)


@login_required
def risk(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    ids, bad = query_ids(request.GET, {"organisation": _("涉及单位")})
    report_ignored_filters(request, bad)
    ranking = risk_ranking(user, organisation_id=ids["organisation"])
    for r in ranking:
        for c in r.contributions:
            c.title = check_title(c.check_id)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/risk.html",
        {"ranking": ranking, "one": ids["organisation"] is not None, "outcome_year": outcome_year()},
    )


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    is_bureau = user.role == "bureau_officer" or user.is_superuser
    if request.method == "POST":
        require_role(user, "bureau_officer")
        if full_run_request(actor=user):
            messages.success(request, _("已发起全量核查，正在排队，完成后本页显示结果"))
        else:
            messages.warning(request, _("已有一次全量核查在排队或运行中，请稍后刷新本页"))
        return redirect("supervision:runs")
    rows = list(selectors.runs_recent())
    for r in rows:
        r.lines = [(check_title(c), n) for c, n in (r.counts or {}).items()]  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/runs.html",
        {
            "runs": rows,
            "requests": selectors.full_run_requests(),
            "is_bureau": is_bureau,
        },
    )


urlpatterns: list[URLPattern] = [
    path("", alert_list, name="alert_list"),
    path("alerts/<int:pk>/", alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/<str:action>/", alert_act, name="alert_act"),
    path("holds/<int:pk>/release/", hold_release, name="hold_release"),
    path("risk/", risk, name="risk"),
    path("runs/", runs, name="runs"),
]
