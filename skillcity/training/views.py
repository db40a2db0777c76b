"""Pages: one home that shows each role its part (worker, provider, bureau/town)."""

from __future__ import annotations

import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from skillcity.core.access import require_role
from skillcity.core.errors import DomainError
from skillcity.training import selectors, services
from skillcity.training.codes import voucher_code_display


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = str(getattr(user, "role", ""))
    context: dict[str, object] = {"role": role}
    if role == "worker":
        vouchers = list(selectors.vouchers_for(user)[:50])
        for voucher in vouchers:
            voucher.display_code = voucher_code_display(voucher.code)  # type: ignore[attr-defined]
        context.update(
            vouchers=vouchers,
            enrolments=selectors.enrolments_for(user)[:50],
            subsidies=selectors.subsidies_for(user)[:50],
        )
    elif role == "organisation_user":
        context.update(
            projects=selectors.projects_for(user)[:50], settlements=selectors.settlements_for(user)[:20]
        )
    else:
        by_town: dict[str, dict[str, int]] = defaultdict(dict)
        for row in selectors.voucher_use_by_town(user):
            by_town[row["town__name"]][row["state"]] = row["n"]
        towns = sorted(by_town)
        chart = {
            "towns": towns,
            "issued": [sum(by_town[t].values()) for t in towns],
            "redeemed": [by_town[t].get("redeemed", 0) + by_town[t].get("settled", 0) for t in towns],
        }
        context.update(
            chart_json=json.dumps(chart, ensure_ascii=False), settlements=selectors.settlements_for(user)[:50]
        )
    return render(request, "training/home.html", context)


@login_required
@require_POST
def redeem(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "organisation_user")
    try:
        services.voucher_redeem(
            code=request.POST.get("code", ""),
            provider=request.user.organisation,  # type: ignore[union-attr,arg-type]
            idempotency_key=request.POST.get("idempotency_key", ""),
            actor=request.user,
        )
        messages.success(request, "培训券核销成功")
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("training:home")
