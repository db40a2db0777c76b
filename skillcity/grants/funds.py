"""Fund pages: budget, committed, paid and remaining by rule (programme) and by town, and the form the
bureau creates a fund with (linked, filled in, from a refusal that names the fund to create)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import YEAR_MAX, YEAR_MIN, parse_int, parse_money, report_ignored_filters
from skillcity.core.errors import DomainError, NotFound
from skillcity.grants import selectors, services
from skillcity.grants.models import Fund
from skillcity.policy.engine import load_rules

FIELD_LABELS = {
    "programme": gettext_lazy("政策条目"),
    "year": gettext_lazy("年度"),
    "last_year": gettext_lazy("截止年度"),
    "name": gettext_lazy("名称"),
    "total": gettext_lazy("预算总额"),
}


def _year(raw: Any, field: str, *, required: bool) -> int | None:
    if raw in (None, "") and not required:
        return None
    try:
        return parse_int(raw, low=YEAR_MIN, high=YEAR_MAX)
    except ValueError:
        raise DomainError(
            "invalid_year",
            _("%(f)s有误") % {"f": FIELD_LABELS[field]},
            {field: _("请填写 %(a)s–%(b)s 之间的年份") % {"a": YEAR_MIN, "b": YEAR_MAX}},
        ) from None


def _rows(report: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in report:
        row["title"] = services.rule_title(row["fund"].programme)
    return report


@login_required
def funds(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    try:
        year = _year(request.GET.get("year"), "year", required=False)
    except DomainError:
        report_ignored_filters(request, [_("年度")])
        year = None
    return render(
        request,
        "grants/funds.html",
        {
            "rows": _rows(selectors.funds_report(year=year)),
            "year": year,
            "years": range(timezone.localdate().year + 1, 2021, -1),
        },
    )


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    fund = Fund.objects.filter(pk=pk).first()
    if fund is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return render(
        request,
        "grants/fund_detail.html",
        {
            "fund": fund,
            "title": services.rule_title(fund.programme),
            "balances": fund.balances(),
            "towns": selectors.fund_by_town(fund),
        },
    )


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    data = request.POST if request.method == "POST" else request.GET
    rules = sorted(load_rules().values(), key=lambda r: r.id)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            programme = data.get("programme", "")
            if programme not in load_rules():
                raise DomainError("unknown_rule", _("请选择政策条目"), {"programme": _("请选择政策条目")})
            name = data.get("name", "").strip()[:200]
            if not name:
                raise DomainError("name_required", _("请填写名称"), {"name": _("请填写此项")})
            try:
                total = parse_money(data.get("total"))
            except ValueError as exc:
                raise DomainError("invalid_total", _("预算总额有误"), {"total": str(exc)}) from None
            fund = services.fund_create(
                actor=user,
                programme=programme,
                year=_year(data.get("year"), "year", required=True),  # type: ignore[arg-type]
                last_year=_year(data.get("last_year"), "last_year", required=False),
                name=name,
                total=total,
                source=data.get("source", "").strip()[:200],
            )
            messages.success(
                request,
                _("已新建资金“%(f)s”，预算 %(t)s 元") % {"f": fund, "t": f"{fund.total:,.2f}"},
            )
            return redirect("grants:fund_detail", pk=fund.pk)
        except DomainError as exc:
            errors = {k: v for k, v in exc.fields.items()}
            messages.error(request, str(exc.message))
    return render(request, "grants/fund_form.html", {"rules": rules, "data": data, "errors": errors})
