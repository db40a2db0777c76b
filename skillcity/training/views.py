"""Pages: one home that shows each role its part (worker, provider, bureau/town)."""

from __future__ import annotations

import json
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillcity.training import selectors
from skillcity.training.qr import voucher_cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = str(getattr(user, "role", ""))
    context: dict[str, object] = {"role": role}
    if role == "worker":
        context.update(
            vouchers=voucher_cards(selectors.vouchers_for(user)[:50]),
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
